import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../server/db/database.ts';
import { startServerProcess } from '../support/process.ts';
import { deleteRedisPrefix, PG_BASE, REDIS_URL } from '../support/services.ts';

const name = `pbt_startup_${randomBytes(4).toString('hex')}`;
const children: ReturnType<typeof startServerProcess>['child'][] = [];

afterAll(async () => {
	for (const c of children) c.kill('SIGKILL');
	const admin = connect(`${PG_BASE}/postgres`, { max: 1 });
	await admin.unsafe(`drop database if exists "${name}" with (force)`);
	await admin.end();
	await deleteRedisPrefix(REDIS_URL, name);
});

describe('start-up', () => {
	it('two server processes started at once against a missing database both come up, migrating once', async () => {
		const env = { PORT: '0', DATABASE_URL: `${PG_BASE}/${name}`, REDIS_URL, REDIS_PREFIX: name };
		const nodes = [startServerProcess(env), startServerProcess(env)];
		children.push(...nodes.map((n) => n.child));
		const ports = await Promise.all(nodes.map((n) => n.port));
		for (const port of ports) {
			const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
			expect(ready.status).toBe(200);
		}
		const sql = connect(`${PG_BASE}/${name}`, { max: 1 });
		const rows = await sql<{ migrationId: number }[]>`select migration_id from migrations order by migration_id`;
		await sql.end();
		expect(rows.map((r) => r.migrationId)).toEqual(rows.map((_, i) => i + 1));
	});

	it('stops at once with one message naming every bad variable', async () => {
		const bad = startServerProcess({ PORT: 'x', REDIS_URL: 'http://nope', DATABASE_URL: `${PG_BASE}/${name}` });
		const err = await bad.port.catch((e: Error) => e);
		expect(String(err)).toMatch(/exited with 78/);
		expect(String(err)).toMatch(/Invalid configuration: PORT="x": .*; REDIS_URL="http:\/\/nope": /);
	});
});
