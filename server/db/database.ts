import postgres from 'postgres';
import type { Logger } from '../logger.ts';

export type Sql = postgres.Sql<Record<string, never>>;
export type TxSql = postgres.TransactionSql<Record<string, never>>;

const DUPLICATE_DATABASE = '42P04';
// Two CREATE DATABASE racing each other can also trip the catalog's unique index instead.
const UNIQUE_VIOLATION = '23505';

/** Creates the database named in `url` if it does not exist (CONTRACT: "created if missing"). */
export async function ensureDatabase(url: string, log?: Logger): Promise<void> {
	const target = new URL(url);
	const name = decodeURIComponent(target.pathname.slice(1));
	if (!name) throw new Error('DATABASE_URL names no database');
	const admin = new URL(url);
	admin.pathname = '/postgres';
	const sql = postgres(admin.toString(), { max: 1, onnotice: () => {}, connect_timeout: 10 });
	try {
		const [row] = await sql`select 1 as present from pg_database where datname = ${name}`;
		if (row) return;
		try {
			await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
			log?.info({ database: name }, 'database created');
		} catch (err) {
			// Two nodes starting together both saw it missing; the loser is fine.
			const code = (err as { code?: string }).code;
			if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw err;
		}
	} finally {
		await sql.end({ timeout: 5 });
	}
}

/** A statement running longer than this is cancelled by the server itself (runaway queries hold a pooled connection). */
export const STATEMENT_TIMEOUT_MS = 60_000;

export function connect(url: string, opts: { max?: number; applicationName?: string } = {}): Sql {
	return postgres(url, {
		max: opts.max ?? 10,
		idle_timeout: 30,
		// A stopped server refuses at once; a hung one accepts and never answers: give up quickly.
		connect_timeout: 2,
		// postgres.js waits (3^failures / 100) s, up to 20 s, before reconnecting: after a 10 s outage a
		// node would sit idle for many seconds with Postgres back. A short jittered pause is enough.
		backoff: () => 0.2 + Math.random() * 0.3,
		onnotice: () => {},
		connection: {
			application_name: opts.applicationName ?? 'promiseboard',
			statement_timeout: STATEMENT_TIMEOUT_MS,
			// A process killed mid-transaction must not keep row locks until TCP keepalive notices.
			idle_in_transaction_session_timeout: 30_000
		},
		// Column names only: postgres.camel would also rewrite keys inside json values (ids with '_').
		transform: { column: { from: postgres.toCamel, to: postgres.fromCamel } },
		types: {
			// seq and counters are bigint in SQL but stay far below 2^53: numbers are what callers want.
			bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
			// Calendar dates are site-local strings in the contract; a JS Date would shift them by zone.
			date: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x }
		}
	}) as unknown as Sql;
}
