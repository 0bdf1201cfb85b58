import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Sql } from '../db/database.ts';

async function probe(check: () => Promise<unknown>, ms = 2000): Promise<string | null> {
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

export function healthRoutes(sql: Sql, redis: Redis): Router {
	const r = Router();
	r.get('/healthz', (_req, res) => {
		res.json({ status: 'ok' });
	});
	r.get('/readyz', async (_req, res) => {
		const [postgres, redisErr] = await Promise.all([probe(() => sql`select 1`), probe(() => redis.ping())]);
		const failing = { ...(postgres ? { postgres } : {}), ...(redisErr ? { redis: redisErr } : {}) };
		if (Object.keys(failing).length) res.status(503).json({ status: 'unavailable', failing });
		else res.json({ status: 'ready' });
	});
	return r;
}
