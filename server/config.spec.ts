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

	it('never prints a secret, nor the password of a URL, in a configuration error', () => {
		const secrets = ['s3cret-session-short', 'tok-shhh', 'dbpass-hunter2', 'redispass-xyzzy'];
		let err: unknown;
		try {
			loadConfig({
				SESSION_SECRET: secrets[0],
				INGEST_TOKEN: secrets[1],
				DATABASE_URL: `mysql://app:${secrets[2]}@db/x`,
				REDIS_URL: `http://:${secrets[3]}@cache:6379`,
				PORT: 'eighty'
			});
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(ConfigError);
		const message = (err as Error).message;
		for (const s of secrets) expect(message).not.toContain(s);
		const names = (err as ConfigError).problems.map((p) => /^[A-Z_]+/.exec(p)?.[0]).sort();
		expect(names).toEqual(['DATABASE_URL', 'INGEST_TOKEN', 'PORT', 'REDIS_URL', 'SESSION_SECRET']);
		// Harmless values still help: the port is echoed, the URL without its password.
		expect(message).toContain('PORT="eighty"');
		expect(message).toContain('DATABASE_URL="mysql://app:***@db/x"');
	});

	it('hides a URL that does not parse, since its password cannot be told apart', () => {
		expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p ss word@' })).toThrow(/DATABASE_URL=<hidden: not a URL>/);
	});

	it('parses TRUST_PROXY into what Express accepts, loopback by default', () => {
		expect(loadConfig({}).trustProxy).toBe('loopback');
		expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
		expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
		expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
		expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7' }).trustProxy).toBe('loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7');
		expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY="everyone": .*bad: everyone/);
		expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
	});
});
