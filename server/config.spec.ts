import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
	it('uses the contract defaults for an empty environment', () => {
		const c = loadConfig({});
		expect(c).toMatchObject({
			port: 3000,
			host: '0.0.0.0',
			databaseUrl: 'postgres://postgres@127.0.0.1:5432/promiseboard',
			redisUrl: 'redis://127.0.0.1:6379',
			redisPrefix: 'promiseboard',
			ingestToken: undefined,
			demo: false
		});
		expect(c.sessionSecret).toHaveLength(64);
	});

	it('names every bad variable in one error', () => {
		let err: unknown;
		try {
			loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_PREFIX: 'has space', SESSION_SECRET: 'short', DEMO: 'yes' });
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(ConfigError);
		const names = (err as ConfigError).problems.map((p) => p.split('=')[0]).sort();
		expect(names).toEqual(['DATABASE_URL', 'DEMO', 'PORT', 'REDIS_PREFIX', 'SESSION_SECRET']);
		expect((err as Error).message).toMatch(/^Invalid configuration: /);
	});

	it('accepts PORT=0 for any free port and DEMO=1', () => {
		expect(loadConfig({ PORT: '0', DEMO: '1' })).toMatchObject({ port: 0, demo: true });
	});

	it('parses the webhook allow list and limits', () => {
		const c = loadConfig({ WEBHOOK_ALLOW_HOSTS: ' 127.0.0.1, Receiver.Local ,[::1]', WEBHOOK_TIMEOUT_MS: '2500', WEBHOOK_PAUSE_AFTER: '3' });
		expect(c.webhooks).toMatchObject({ allowHosts: ['127.0.0.1', 'receiver.local', '::1'], timeoutMs: 2500, pauseAfter: 3 });
		expect(loadConfig({}).webhooks).toEqual({ allowHosts: [], timeoutMs: 10_000, maxAttempts: 10, backoffMs: 2000, pauseAfter: 20, concurrency: 16 });
		expect(() => loadConfig({ WEBHOOK_ALLOW_HOSTS: 'a/b', WEBHOOK_TIMEOUT_MS: '5' })).toThrow(/WEBHOOK_ALLOW_HOSTS.*WEBHOOK_TIMEOUT_MS/);
	});
});
