import { loadConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { startNode, type NodeOptions, type RunningNode } from '../../server/node.ts';
import { createTestServices, type TestServices } from './services.ts';

export const TEST_INGEST_TOKEN = 'test-ingest-token-0123456789abcdef';

export interface TestNode extends RunningNode {
	services_: TestServices;
	config: Config;
	stop(): Promise<void>;
}

/** A real node (HTTP, Socket.IO, workers) on a free port, against a database and prefix of its own. */
export async function startTestNode(
	label: string,
	opts: Partial<Omit<NodeOptions, 'app'>> & { env?: Record<string, string> } = {}
): Promise<TestNode> {
	const svc = await createTestServices(label);
	const config = loadConfig({
		PORT: '0',
		HOST: '127.0.0.1',
		DATABASE_URL: svc.databaseUrl,
		REDIS_URL: svc.redisUrl,
		REDIS_PREFIX: svc.redisPrefix,
		INGEST_TOKEN: TEST_INGEST_TOKEN,
		LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
		WORKER_CONCURRENCY: '4',
		...opts.env
	});
	const node = await startNode(config, createLogger(config.logLevel), {
		web: opts.web ?? true,
		workers: opts.workers ?? true,
		// In-process nodes serve the API only: SvelteKit's build must be loaded by Node itself, not by
		// Vitest's module runner, so page tests use spawnTestNode (tests/support/process.ts).
		app: false
	});
	return {
		...node,
		services_: svc,
		config,
		async stop() {
			await node.close();
			await svc.teardown();
		}
	};
}

export function postEvents(node: { url: string }, body: unknown, init: { token?: string; contentType?: string; raw?: string } = {}) {
	return fetch(`${node.url}/api/events`, {
		method: 'POST',
		headers: {
			'content-type': init.contentType ?? 'application/json',
			authorization: `Bearer ${init.token ?? TEST_INGEST_TOKEN}`
		},
		body: init.raw ?? JSON.stringify(body)
	});
}
