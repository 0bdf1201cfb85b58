// Outages of the real thing: a private PostgreSQL cluster and redis-server that this suite stops,
// crashes and freezes; two web nodes and a worker as their own processes; a load generator that
// keeps a ledger of every event a 202 acknowledged. DESIGN.md "When a dependency fails".
import { existsSync } from 'node:fs';
import { hash } from '@node-rs/argon2';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppProcess } from './support/app-process.ts';
import { formatTable, summarise, type FaultRow } from './support/fault-report.ts';
import { freePort, PgCluster, RedisServer } from './support/servers.ts';
import { BoardEditor, storedNotes } from './support/board-editor.ts';
import { Load, PAIRS, RequestLog, Screen } from './support/traffic.ts';

const TOKEN = 'faults-ingest-token-0123456789abcdef';
const PASSWORD = 'faults-password';
const REORDER_POINT = 60;
const SEED_QTY = 50;

let pg: PgCluster;
let redis: RedisServer;
let web: AppProcess[] = [];
let worker: AppProcess;
let urls: string[] = [];
let sql: postgres.Sql;
let cookie = '';
let screen: Screen;
let editor: BoardEditor;
const CARD = 'fault-card';
const log = new RequestLog();
const rows: FaultRow[] = [];

/** Holds a fault for its stated duration: a schedule, not a wait for some fact. */
const hold = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function signIn(url: string, email: string): Promise<string> {
	const res = await fetch(`${url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: url },
		body: JSON.stringify({ email, password: PASSWORD })
	});
	expect(res.status).toBe(200);
	return res.headers.getSetCookie()[0].split(';')[0];
}

beforeAll(async () => {
	if (!existsSync('build/handler.js')) throw new Error('run `npm run build` first: the web nodes serve the built app');
	[pg, redis] = await Promise.all([PgCluster.create(), RedisServer.create()]);
	await Promise.all([pg.start(), redis.start()]);
	const env = {
		HOST: '127.0.0.1',
		DATABASE_URL: `${pg.url}/promiseboard`,
		REDIS_URL: redis.url,
		REDIS_PREFIX: 'faults',
		INGEST_TOKEN: TOKEN,
		SESSION_SECRET: 'faults-session-secret-0123456789abcdef',
		// Lost jobs are found by the sweep; a short fuse keeps the suite's convergence times honest but short.
		SWEEP_AFTER_SECONDS: '2',
		SWEEP_EVERY_MS: '1000',
		WORKER_CONCURRENCY: '8'
	};
	const ports = [await freePort(), await freePort()];
	web = ports.map((port, i) => new AppProcess(`web-${i}`, 'server/main.ts', { ...env, PORT: String(port), WORKERS: '0' }, /"port":\d+[^\n]*listening/));
	worker = new AppProcess('worker', 'server/worker.main.ts', env, /workers running/);
	urls = ports.map((p) => `http://127.0.0.1:${p}`);
	await web[0].start(); // creates and migrates the database; the others then find it ready
	await Promise.all([web[1].start(), worker.start()]);

	sql = postgres(`${pg.url}/promiseboard`, { max: 2, onnotice: () => {} });
	const passwordHash = await hash(PASSWORD);
	for (const [email, role] of [['ops@faults.test', 'ops'], ['admin@faults.test', 'admin']]) {
		await sql`insert into users (email, name, role, password_hash) values (${email}, ${email}, ${role}, ${passwordHash})`;
	}
	cookie = await signIn(urls[0], 'ops@faults.test');
	const admin = await signIn(urls[0], 'admin@faults.test');

	// Every pair starts at 50 on hand under a reorder point of 60: all below it, so 20 alerts open.
	const seed = PAIRS.map((p, i) => ({ id: `seed-${i}`, type: 'receipt', sku: p.sku, site: p.site, qty: SEED_QTY, at: new Date().toISOString() }));
	const posted = await fetch(`${urls[0]}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(seed) });
	expect(posted.status).toBe(202);
	for (const p of PAIRS) {
		const res = await fetch(`${urls[0]}/api/admin/skus/${p.sku}/sites/${p.site}`, {
			method: 'PUT',
			headers: { cookie: admin, origin: urls[0], 'content-type': 'application/json' },
			body: JSON.stringify({ safetyStock: 0, reorderPoint: REORDER_POINT })
		});
		expect(res.status).toBe(204);
	}
	await vi.waitFor(async () => expect(await openAlerts(), JSON.stringify(await sql`select a.sku, a.site, a.kind, a.status, p.on_hand, d.dirty_since from positions p left join alerts a using (sku, site) left join position_dirty d using (sku, site)`)).toBe(PAIRS.length), { timeout: 30_000, interval: 250 });
	screen = new Screen(() => urls[0], () => cookie);
	screen.connect();
	const card = await fetch(`${urls[0]}/api/commitments`, {
		method: 'POST',
		headers: { cookie, origin: urls[0], 'content-type': 'application/json' },
		body: JSON.stringify({ id: CARD, customer: 'Fault Co', sku: PAIRS[0].sku, qty: 1, requestedDate: '2030-01-01' })
	});
	expect(card.status).toBe(201);
	editor = new BoardEditor(urls[0], cookie, CARD);
	await editor.synced;
}, 180_000);

afterAll(async () => {
	if (rows.length) console.log(`\nFault suite\n\n${formatTable(rows)}\n`);
	screen?.close();
	editor?.close();
	await Promise.all([...web.map((w) => w.kill('SIGKILL')), worker?.kill('SIGKILL')]);
	await sql?.end({ timeout: 1 }).catch(() => {});
	await redis?.stop();
	await pg?.destroy();
}, 60_000);

async function openAlerts(): Promise<number> {
	const [r] = await sql<{ n: number }[]>`select count(*)::int as n from alerts where kind = 'below_reorder_point' and status <> 'resolved'`;
	return r.n;
}

/** On hand per pair as the stored events say it must be. */
async function expectedOnHand(): Promise<Map<string, number>> {
	const stored = await sql<{ sku: string; site: string; qty: number }[]>`
		select sku, site, sum(qty)::int as qty from inventory_events group by sku, site`;
	return new Map(stored.map((r) => [`${r.sku}|${r.site}`, r.qty]));
}

/** Probes a person's requests while the load runs: a list read, a page, sign-in and readiness. */
function startProbes(): () => void {
	let i = 0;
	const timer = setInterval(() => {
		const url = urls[i % urls.length];
		switch (i++ % 4) {
			case 0:
				return void log.fetch('GET /api/positions', `${url}/api/positions?limit=50`, { headers: { cookie } });
			case 1:
				return void log.fetch('GET /stock (page)', `${url}/stock`, { headers: { cookie } });
			case 2:
				return void log.fetch('GET /readyz', `${url}/readyz`);
			default:
				return void log.fetch('POST /api/session', `${url}/api/session`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', origin: url },
					body: JSON.stringify({ email: 'ops@faults.test', password: PASSWORD })
				});
		}
	}, 200);
	return () => clearInterval(timer);
}

interface Fault {
	name: string;
	apply(): Promise<void>;
	/** How long the dependency stays away. */
	lastsMs: number;
	clear(): Promise<void>;
}

async function runFault(f: Fault) {
	const load = new Load(log, () => urls, TOKEN, f.name.replace(/\W+/g, '-'));
	const stopProbes = startProbes();
	load.start();
	const typedBefore = editor.typed.length;
	editor.start(`f${rows.length}e`);
	await hold(1500);
	const from = Date.now();
	await f.apply();
	await hold(f.lastsMs);
	await f.clear();
	const to = Date.now();
	await hold(1000);
	stopProbes();
	editor.stop();
	await load.stop();
	const during = log.between(from, to);
	const typed = editor.typed.slice(typedBefore);

	// Converged: every acknowledged event stored, no pair left dirty, alerts as the rules say, and the
	// screen showing what the stored events add up to.
	let expected = new Map<string, number>();
	await vi.waitFor(
		async () => {
			expected = await expectedOnHand();
			const [{ dirty }] = await sql<{ dirty: number }[]>`select count(*)::int as dirty from position_dirty where dirty_since is not null`;
			expect(dirty).toBe(0);
			for (const [key, qty] of expected) {
				if (screen.onHand.get(key)?.value === qty) continue;
				const [sku, site] = key.split('|');
				const rows = await sql`select id, seq, created_at, payload->>'onHand' as on_hand from outbox where topic = 'position' and payload->>'sku' = ${sku} and payload->>'site' = ${site} order by seq desc limit 6`;
				const seqState = await sql`select last_value, is_called from outbox_seq`;
				rows.push(...seqState);
				expect(screen.onHand.get(key)?.value, `${key} screen ${JSON.stringify(screen.onHand.get(key))} outbox ${JSON.stringify(rows)}`).toBe(qty);
			}
			const shouldBeOpen = PAIRS.filter((p) => (expected.get(`${p.sku}|${p.site}`) ?? 0) < REORDER_POINT).length;
			expect(await openAlerts()).toBe(shouldBeOpen);
		},
		{ timeout: 90_000, interval: 200 }
	).catch((err: Error) => {
		err.message += `\n--- worker log ---\n${worker.output().slice(-6000)}`;
		throw err;
	});
	// Every token typed through the fault is in the stored board: kept by the node or the provider, then saved.
	let boardStored = 0;
	await vi.waitFor(
		async () => {
			const notes = await storedNotes(sql, CARD);
			boardStored = typed.filter((t) => notes.includes(t)).length;
			expect(boardStored, `board edits stored; editor ${editor.story}`).toBe(typed.length);
		},
		{ timeout: 60_000, interval: 250 }
	).catch((err: Error) => {
		err.message += `\n--- web-0 log ---\n${web[0].output().slice(-6000)}`;
		throw err;
	});
	const convergedSeconds = (Date.now() - to) / 1000;
	for (const p of [...web, worker]) expect(p.alive(), `${p.name} died during "${f.name}":\n${p.output().slice(-4000)}`).toBe(true);
	const ackedIds = [...load.acked];
	const [{ stored }] = await sql<{ stored: number }[]>`select count(*)::int as stored from inventory_events where id = any(${ackedIds})`;
	const [{ all }] = await sql<{ all: number }[]>`select count(*)::int as all from inventory_events where id like ${`${f.name.replace(/\W+/g, '-')}-%`}`;
	const alertsExpected = PAIRS.filter((p) => (expected.get(`${p.sku}|${p.site}`) ?? 0) < REORDER_POINT).length;
	const row: FaultRow = {
		fault: f.name,
		...summarise(during),
		acked: ackedIds.length,
		stored: all,
		lostEvents: ackedIds.length - stored,
		boardAcked: typed.length,
		boardStored,
		alertsOpen: await openAlerts(),
		alertsExpected,
		convergedSeconds
	};
	rows.push(row);
	return { row, during };
}

function expectNothingHung(during: ReturnType<typeof log.between>, row: FaultRow, { nodeKilled = false } = {}) {
	expect(row.requests).toBeGreaterThan(10);
	// Only a killed node may leave requests unanswered; the other one answers every one of them.
	if (!nodeKilled) expect(during.filter((r) => r.status === null), 'requests without an answer').toEqual([]);
	else expect(row.answered).toBeGreaterThan(row.requests / 3);
	expect(during.filter((r) => r.ms > 2500), 'requests slower than 2.5 s').toEqual([]);
	expect(during.filter((r) => r.status !== null && r.status >= 500 && r.status !== 503), 'errors other than 503').toEqual([]);
	expect(during.filter((r) => r.status === 503 && !r.retryAfter), '503 without Retry-After').toEqual([]);
	expect(row.lostEvents).toBe(0);
	expect(row.boardAcked).toBeGreaterThan(10);
	expect(row.boardStored).toBe(row.boardAcked);
	expect(row.alertsOpen).toBe(row.alertsExpected);
}

describe('faults', () => {
	it('Redis down 10 s: ingest, sign-in, pages and live fan-out go on; readyz says degraded', async () => {
		const { row, during } = await runFault({ name: 'Redis down 10 s', apply: () => redis.stop(), lastsMs: 10_000, clear: () => redis.start() });
		expectNothingHung(during, row);
		expect(during.filter((r) => r.kind === 'POST /api/events' && (r.status !== 202 || r.ms > 1000)), 'ingest not 202 within 1 s').toEqual([]);
		expect(during.filter((r) => r.kind !== 'GET /readyz' && r.status !== 200 && r.status !== 202), 'people refused').toEqual([]);
		expect(during.filter((r) => r.kind === 'GET /readyz' && r.status !== 200)).toEqual([]);
	});

	it('Postgres down 10 s (crash: pg_ctl stop -m immediate): 503 with Retry-After at once, everything back after', async () => {
		const { row, during } = await runFault({ name: 'Postgres down 10 s', apply: () => pg.stop('immediate'), lastsMs: 10_000, clear: () => pg.start() });
		expectNothingHung(during, row);
		expect(during.filter((r) => r.status === 503).length).toBeGreaterThan(10);
	});

	it('Postgres hanging 5 s (SIGSTOP): 503 within 2 s instead of waiting', async () => {
		const { row, during } = await runFault({ name: 'Postgres hanging 5 s', apply: async () => pg.freeze(), lastsMs: 5000, clear: async () => pg.thaw() });
		expectNothingHung(during, row);
		expect(during.filter((r) => r.status === 503).length).toBeGreaterThan(5);
	});

	it('worker kill -9: its jobs are not lost', async () => {
		const { row, during } = await runFault({ name: 'worker kill -9', apply: () => worker.kill('SIGKILL'), lastsMs: 3000, clear: () => worker.start() });
		expectNothingHung(during, row);
	});

	it('web node kill -9: the other node answers, the screen on it reconnects and catches up', async () => {
		const { row, during } = await runFault({ name: 'web node kill -9', apply: () => web[0].kill('SIGKILL'), lastsMs: 3000, clear: () => web[0].start() });
		expectNothingHung(during, row, { nodeKilled: true });
		// Only the killed node's own connections may fail: refused while it is down, reset if in flight as it died.
		const dropped = during.filter((r) => r.status === null);
		expect(dropped.filter((r) => r.error !== 'ECONNREFUSED' && r.error !== 'ECONNRESET' && r.error !== 'UND_ERR_SOCKET'), 'requests lost otherwise').toEqual([]);
	});
});
