import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { connect, ensureDatabase, type Sql } from '../../server/db/database.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createLogger } from '../../server/logger.ts';

export const PG_BASE = process.env.TEST_DATABASE_BASE ?? 'postgres://postgres@127.0.0.1:5432';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestServices {
	databaseUrl: string;
	redisUrl: string;
	redisPrefix: string;
	/** A migrated connection to the test database, for arranging and asserting. */
	sql: Sql;
	teardown(): Promise<void>;
}

/** A database and a Redis prefix of their own for one test file, removed afterwards. */
export async function createTestServices(label: string): Promise<TestServices> {
	const id = `${label.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 20)}_${randomBytes(4).toString('hex')}`;
	const databaseUrl = `${PG_BASE}/pbt_${id}`;
	const redisPrefix = `pbt_${id}`;
	const log = createLogger('silent');
	await ensureDatabase(databaseUrl);
	const sql = connect(databaseUrl, { max: 4 });
	await migrate(sql, log);
	return {
		databaseUrl,
		redisUrl: REDIS_URL,
		redisPrefix,
		sql,
		async teardown() {
			await sql.end({ timeout: 5 });
			const admin = connect(`${PG_BASE}/postgres`, { max: 1 });
			try {
				await admin.unsafe(`drop database if exists "pbt_${id}" with (force)`);
			} finally {
				await admin.end({ timeout: 5 });
			}
			await deleteRedisPrefix(REDIS_URL, redisPrefix);
		}
	};
}

export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
	const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
	await redis.connect();
	try {
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
			cursor = next;
			if (keys.length) await redis.unlink(...keys);
		} while (cursor !== '0');
	} finally {
		redis.disconnect();
	}
}
