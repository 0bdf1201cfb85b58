import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Sql } from '../db/database.ts';
import type { DatabaseState } from './unavailable.ts';
import { RETRY_AFTER_SECONDS } from '../../src/lib/server/unavailable.ts';

async function probe(check: () => Promise<unknown>, ms: number): Promise<string | null> {
	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			check(),
			new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))
		]);
		return null;
	} catch (err) {
		return (err as Error).message;
	} finally {
		clearTimeout(timer);
	}
}

/**
 * `/readyz`: 503 naming Postgres when it is away (the node cannot serve); 200 `degraded` naming Redis
 * when only Redis is away (ingest, sign-in, pages and live fan-out go on without it). `redis` must be
 * a fail-fast connection (no offline queue), so a ping to a stopped Redis errors at once.
 */
export function healthRoutes(sql: Sql, redis: Redis, db?: DatabaseState): Router {
	const r = Router();
	r.get('/healthz', (_req, res) => {
		res.json({ status: 'ok' });
	});
	r.get('/readyz', async (_req, res) => {
		res.setHeader('Cache-Control', 'no-store');
		const [postgres, redisErr] = await Promise.all([
			db?.problem() ?? probe(() => sql`select 1`, 1500),
			redis.status === 'ready' ? probe(() => redis.ping(), 500) : Promise.resolve(`redis is ${redis.status}`)
		]);
		if (postgres) res.status(503).setHeader('Retry-After', String(RETRY_AFTER_SECONDS)).json({ status: 'unavailable', failing: { postgres, ...(redisErr ? { redis: redisErr } : {}) } });
		else if (redisErr) res.json({ status: 'degraded', redis: 'down' });
		else res.json({ status: 'ready' });
	});
	return r;
}
