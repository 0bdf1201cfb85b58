// Edits durable fast under load (issue 12): the time from a board edit made with the stock
// y-websocket provider to the Postgres row that holds it, while the inventory feed posts open loop
// and Socket.IO clients are connected for fan-out. Each edit types a unique marker into a card's
// notes; the row is found by the marker's bytes in board_updates. Baseline: a one-row insert and
// commit on the same database in the same run.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { putCard } from '../src/lib/contract/board/board-doc.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { startNode } from '../server/node.ts';
import { boardClient } from '../tests/support/yjs.ts';
import { createTestServices } from '../tests/support/services.ts';
import type { Figure } from './results.ts';
import { fmt, sample, summary } from './stats.ts';
import { posters } from './sustained.bench.ts';

const TOKEN = 'bench-durable-token-0123456789abcdef';
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function durableBench(opts: { edits: number; feedRate: number; clients: number }) {
	const svc = await createTestServices('bench_durable');
	try {
		const config = loadConfig({
			PORT: '0', HOST: '127.0.0.1', DATABASE_URL: svc.databaseUrl, REDIS_URL: svc.redisUrl,
			REDIS_PREFIX: svc.redisPrefix, INGEST_TOKEN: TOKEN, LOG_LEVEL: 'silent', WORKER_CONCURRENCY: '100'
		});
		const node = await startNode(config, createLogger('silent'), { web: true, workers: true, app: false });
		const sql = svc.sql;
		// The feed's SKUs and sites exist already, as in a running system: no on-the-fly registration
		// (and its insert contention) in the first seconds of the measurement.
		await svc.sql`insert into sites (code, name) select 'S' || g, 'S' || g from generate_series(0, 3) g on conflict do nothing`;
		await svc.sql`insert into skus (code, name) select 'SKU-' || g, 'SKU-' || g from generate_series(0, 249) g on conflict do nothing`;
		await sql`create table bench_commit (id bigserial primary key, v bytea)`;
		const commit = summary(await sample(200, () => sql`insert into bench_commit (v) values (${Buffer.from('x')})`));

		const passwordHash = await node.services.auth.hashPassword('bench-password');
		await node.repos.users.upsert({ email: 'ops@bench.local', name: 'ops', role: 'ops', passwordHash });
		const login = await fetch(`${node.url}/api/session`, {
			method: 'POST', headers: { 'content-type': 'application/json', origin: node.url },
			body: JSON.stringify({ email: 'ops@bench.local', password: 'bench-password' })
		});
		const cookie = login.headers.getSetCookie()[0].split(';')[0];
		const editor = boardClient(node.url, 'main', cookie);
		await editor.synced;
		editor.doc.transact(() => putCard(editor.doc, 'durable-1', { customer: 'Bench', sku: 'B-1', qty: 1, requestedDate: new Date().toISOString().slice(0, 10) }));
		while (!editor.commitments.get('durable-1')?.get('notes')) await settle(10);
		const notes = editor.commitments.get('durable-1')!.get('notes') as Y.Text;

		// Fan-out load: Socket.IO clients in a process of their own (bench/fanout.clients.ts).
		const { token } = await node.services.auth.createToken('bench walls', 'display', null);
		const clients = fork(fileURLToPath(new URL('./fanout.clients.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
		const reply = (type: string) => new Promise<void>((resolve) => clients.on('message', (m: { type: string }) => m.type === type && resolve()));
		const connected = reply('connected');
		clients.send({ cmd: 'connect', url: node.url, token, n: opts.clients, concurrency: 50 });
		await connected;

		// The feed, open loop, for as long as the edits take (one every 50 ms, like typing).
		const seconds = Math.ceil(((opts.edits + 5) * 60) / 1000) + 3;
		const feed = await posters(
			[0, 1].map((p) => ({ url: node.url, token: TOKEN, rate: opts.feedRate / 2, seconds, tickMs: 100, poster: p, label: 'durable', pairs: 1000 }))
		);
		await settle(2000);
		// The first edits meet the feed's start (a thousand positions created at once): warm-up, not counted.
		const WARMUP = 5;
		const lags: number[] = [];
		let lastId = Number((await sql`select coalesce(max(id), 0) as id from board_updates`)[0].id);
		for (let i = 0; i < opts.edits + WARMUP; i++) {
			const marker = `~m${String(i).padStart(5, '0')}~`;
			const t = performance.now();
			notes.insert(0, marker);
			for (;;) {
				const [row] = await sql<{ id: string }[]>`
					select id from board_updates where id > ${lastId} and position(${Buffer.from(marker)}::bytea in update) > 0 limit 1`;
				if (row) {
					if (i >= WARMUP) lags.push(performance.now() - t);
					lastId = Number(row.id) - 1;
					break;
				}
				if (performance.now() - t > 10_000) throw new Error(`edit ${i} not stored within 10 s`);
				await settle(2);
			}
			await settle(50);
		}
		const reports = await feed.reports;
		const closed = reply('closed');
		clients.send({ cmd: 'close' });
		await closed;
		clients.kill();
		editor.destroy();
		await node.close();
		return {
			edits: opts.edits,
			clients: opts.clients,
			feedRate: opts.feedRate,
			feedAccepted: reports.reduce((s, r) => s + r.accepted, 0) / seconds,
			editToRow: summary(lags),
			/** The slowest edits and when in the run they came (index of the edit). */
			slowest: lags.map((ms, i) => ({ i, ms: Math.round(ms) })).sort((a, b) => b.ms - a.ms).slice(0, 3),
			commit
		};
	} finally {
		await svc.teardown();
	}
}

export function reportDurable(r: Awaited<ReturnType<typeof durableBench>>): string {
	return [
		`board edit → its row in Postgres, ${r.edits} edits (y-websocket provider), feed at ${r.feedRate} events/s (accepted ${fmt(r.feedAccepted, 0)}/s), ${r.clients} Socket.IO clients connected:`,
		`  edit → row          p50 ${fmt(r.editToRow.p50)} ms  p99 ${fmt(r.editToRow.p99)} ms  max ${fmt(r.editToRow.max)} ms  (slowest: ${r.slowest.map((s) => `#${s.i} ${s.ms} ms`).join(', ')})`,
		`  baseline one-row insert + commit  p50 ${fmt(r.commit.p50)} ms  p99 ${fmt(r.commit.p99)} ms`
	].join('\n');
}

export function durableFigures(r: Awaited<ReturnType<typeof durableBench>>): Figure[] {
	return [
		{
			section: 'durable',
			name: `board edit → its row in Postgres under feed (${r.feedRate} events/s) and ${r.clients} socket clients, p99 (p50 ${fmt(r.editToRow.p50)} ms)`,
			value: r.editToRow.p99,
			unit: 'ms',
			baseline: { name: 'one-row insert + commit p50', value: r.commit.p50, unit: 'ms' },
			target: '≤ 100 ms',
			met: r.editToRow.p99 <= 100
		}
	];
}
