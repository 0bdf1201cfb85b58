import { fileURLToPath } from 'node:url';
import shift from 'postgres-shift';
import type { Logger } from '../logger.ts';
import type { Sql } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
// Arbitrary constant shared by every node: whoever holds it migrates, the others wait and find nothing to do.
const MIGRATION_LOCK_KEY = 7_240_117_001;

export async function migrate(sql: Sql, log: Logger): Promise<void> {
	const lock = await sql.reserve();
	try {
		await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
		await shift({
			sql: sql as never,
			path: MIGRATIONS_DIR,
			before: ({ migration_id, name }: { migration_id: number; name: string }) =>
				log.info({ migration: migration_id, name }, 'applying migration')
		});
	} finally {
		await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
		lock.release();
	}
}
