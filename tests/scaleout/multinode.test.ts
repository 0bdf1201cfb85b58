// Two web nodes and one worker process behind HAProxy (round robin, no sticky sessions), one
// database, a private Redis the test stops and starts. Every client goes through the proxy with the
// official y-websocket provider; X-Served-By (set by HAProxy) says which node a connection reached.
// Needs a build (nodes serve the SvelteKit app) and Debian's haproxy and redis-server.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays } from '../../src/lib/core/dates.ts';
import { createBoardDocumentsRepository } from '../../server/repositories/board-documents.repository.ts';
import * as Y from 'yjs';
import { addCard, docHash } from '../support/yjs.ts';
import { freePort, proxiedClient, startHaproxy, startRedis, startWebNode, startWorker, type Child, type ProxiedClient } from '../support/cluster.ts';
import { createUser } from '../support/process.ts';
import { createTestServices, type TestServices } from '../support/services.ts';

const D = (n: number) => addDays(new Date().toISOString().slice(0, 10), n);
const wait = { timeout: 15_000, interval: 50 };

let db: TestServices;
let redis: Child;
let redisPort = 0;
let proxy: Child;
let proxyUrl = '';
let worker: Child;
const nodes: Record<'a' | 'b', (Child & { port: number }) | null> = { a: null, b: null };
let env: Record<string, string> = {};
/** The port HAProxy sends each server's traffic to (a restarted node comes back on its own). */
const ports = { a: 0, b: 0 };
const cookies: Record<'sales' | 'ops', string> = { sales: '', ops: '' };
const clients: ProxiedClient[] = [];

async function signIn(email: string): Promise<string> {
	const res = await fetch(`${proxyUrl}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: proxyUrl },
		body: JSON.stringify({ email, password: 'pw-for-tests' })
	});
	expect(res.status).toBe(200);
	return res.headers.getSetCookie()[0].split(';')[0];
}

/** A synced provider whose connection landed on `node` (round robin: new connections until one does). */
async function clientOn(node: 'a' | 'b', board: string, role: keyof typeof cookies): Promise<ProxiedClient> {
	for (let attempt = 0; attempt < 8; attempt++) {
		const c = proxiedClient(proxyUrl, board, cookies[role]);
		await vi.waitFor(() => expect(c.provider.synced).toBe(true), wait);
		if (c.servedBy() === node) {
			clients.push(c);
			return c;
		}
		c.destroy();
	}
	throw new Error(`no connection landed on node ${node}`);
}

const commitmentsOf = (doc: Y.Doc) => doc.getMap('commitments');
const row = async (id: string) => (await db.sql<{ id: string; qty: number; promisedDate: string | null }[]>`select * from commitments where id = ${id}`)[0];
const card = (c: ProxiedClient, id: string) => c.commitments.get(id);

/** The board as Postgres holds it: what any node loading it now would serve. */
async function stored(board: string): Promise<Y.Doc> {
	const { snapshot, updates } = await createBoardDocumentsRepository(db.sql).load(board);
	const doc = new Y.Doc();
	for (const u of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, u);
	return doc;
}

beforeAll(async () => {
	db = await createTestServices('multinode');
	redisPort = await freePort();
	redis = await startRedis(redisPort);
	env = {
		DATABASE_URL: db.databaseUrl,
		REDIS_URL: `redis://127.0.0.1:${redisPort}`,
		REDIS_PREFIX: db.redisPrefix,
		// Both nodes must accept the cookie either one signed.
		SESSION_SECRET: 'multinode-test-secret-0123456789abcdefgh'
	};
	// Migrations run under a lock: let the first node create the schema, then start the rest together.
	nodes.a = await startWebNode(env);
	[nodes.b, worker] = await Promise.all([startWebNode(env), startWorker(env)]);
	const proxyPort = await freePort();
	Object.assign(ports, { a: nodes.a.port, b: nodes.b.port });
	proxy = await startHaproxy(proxyPort, ports);
	proxyUrl = `http://127.0.0.1:${proxyPort}`;
	await createUser(db, 'sales@multi.local', 'sales');
	await createUser(db, 'ops@multi.local', 'ops');
	cookies.sales = await signIn('sales@multi.local');
	cookies.ops = await signIn('ops@multi.local');
}, 120_000);

afterAll(async () => {
	clients.forEach((c) => c.destroy());
	await Promise.allSettled([proxy?.kill(), nodes.a?.kill(), nodes.b?.kill(), worker?.kill()]);
	await redis?.kill();
	await db?.teardown();
});

describe('two web nodes behind HAProxy', () => {
	it('relays an edit and presence from a provider on one node to a provider on the other, projected once', async () => {
		const sales = await clientOn('a', 'multi', 'sales');
		const ops = await clientOn('b', 'multi', 'ops');
		expect(sales.servedBy()).not.toBe(ops.servedBy());

		addCard(sales, 'm1', { customer: 'Acme', sku: 'M-1', qty: 40, requestedDate: D(14) });
		await vi.waitFor(() => expect(card(ops, 'm1')?.get('customer')).toBe('Acme'), wait);
		ops.doc.transact(() => {
			card(ops, 'm1')!.set('promisedDate', D(15));
			card(ops, 'm1')!.set('site', 'W');
		});
		await vi.waitFor(() => expect(card(sales, 'm1')?.get('promisedDate')).toBe(D(15)), wait);

		// Presence crosses nodes, and leaves with its connection.
		sales.provider.awareness.setLocalStateField('focus', { card: 'm1', field: 'qty', typing: false });
		await vi.waitFor(() => expect(ops.provider.awareness.getStates().get(sales.doc.clientID)?.focus).toMatchObject({ card: 'm1' }), wait);

		// Both nodes hold the board; the change reaches the table once, in order, with its authors.
		await vi.waitFor(async () => expect((await row('m1'))?.promisedDate).toBe(D(15)), wait);
		const history = await db.sql<{ kind: string; field: string | null; actor: string }[]>`
			select kind, field, actor from commitment_history where commitment_id = 'm1' order by kind, field`;
		expect(history).toEqual([
			{ kind: 'change', field: 'promisedDate', actor: 'ops@multi.local' },
			{ kind: 'change', field: 'site', actor: 'ops@multi.local' },
			{ kind: 'create', field: null, actor: 'sales@multi.local' }
		]);
		await vi.waitFor(async () => {
			const [{ last, projected }] = await db.sql<{ last: number; projected: number }[]>`
				select (select max(id) from board_updates where board_id = 'multi') as last,
					(select upto_id from board_projections where board_id = 'multi') as projected`;
			expect(projected).toBe(last);
		}, wait);
		// The worker process recomputed the pair: its verdict reached the board on both nodes.
		await vi.waitFor(() => {
			for (const c of [sales, ops]) expect((c.computed.get('m1') as { checkedAt?: string | null } | undefined)?.checkedAt).toBeTruthy();
		}, wait);

		sales.destroy();
		await vi.waitFor(() => expect(ops.provider.awareness.getStates().has(sales.doc.clientID)).toBe(false), wait);
	});

	it('moves the clients of a node killed with kill -9 to the other node and loses no acknowledged edit', async () => {
		const onA = await clientOn('a', 'kill', 'sales');
		const onB = await clientOn('b', 'kill', 'ops');
		// Acknowledged through node a: a REST answer means the change is stored and projected.
		const acked: string[] = [];
		for (let i = 0; acked.length < 2 && i < 8; i++) {
			const res = await fetch(`${proxyUrl}/api/commitments`, {
				method: 'POST',
				headers: { cookie: cookies.sales, origin: proxyUrl, 'content-type': 'application/json' },
				body: JSON.stringify({ id: `rest-${i}`, board: 'kill', customer: 'Rest', sku: 'K-1', qty: i + 1, requestedDate: D(3) })
			});
			expect(res.status).toBe(201);
			if (res.headers.get('x-served-by') === 'a') acked.push(`rest-${i}`);
		}
		expect(acked).toHaveLength(2);
		for (const id of acked) expect(await row(id)).toBeTruthy();
		// A provider's edit on node a, saved: it is in the stored log.
		addCard(onA, 'typed', { customer: 'Typed', sku: 'K-2', qty: 7, requestedDate: D(4) });
		await vi.waitFor(async () => expect(commitmentsOf(await stored('kill')).has('typed')).toBe(true), wait);

		await nodes.a!.kill('SIGKILL');
		nodes.a = null;
		await vi.waitFor(() => expect(onA.servedBy()).toBe('b'), wait);

		for (const c of [onA, onB]) for (const id of [...acked, 'typed']) expect(c.commitments.has(id)).toBe(true);
		const fresh = await clientOn('b', 'kill', 'ops');
		for (const id of [...acked, 'typed']) expect(fresh.commitments.has(id)).toBe(true);
		// Editing goes on through the survivor.
		onA.doc.transact(() => card(onA, 'typed')!.set('qty', 8));
		await vi.waitFor(() => expect(card(onB, 'typed')?.get('qty')).toBe(8), wait);
		await vi.waitFor(async () => expect((await row('typed'))?.qty).toBe(8), wait);
		await vi.waitFor(() => expect(docHash(onA.doc)).toBe(docHash(onB.doc)), wait);
		expect(docHash(fresh.doc)).toBe(docHash(onB.doc));
	});

	it('converges both nodes when Redis restarts mid-session: what it missed comes from the log', async () => {
		nodes.a ??= await startWebNode({ ...env, PORT: String(ports.a) });
		// Back in rotation once HAProxy's health checks pass.
		await vi.waitFor(async () => {
			const served = await Promise.all([1, 2].map(async () => (await fetch(`${proxyUrl}/healthz`)).headers.get('x-served-by')));
			expect(served).toContain('a');
		}, wait);
		const p = await clientOn('a', 'restart', 'sales');
		const q = await clientOn('b', 'restart', 'sales');
		addCard(p, 'r0', { customer: 'Before', sku: 'R-0', qty: 1, requestedDate: D(5) });
		await vi.waitFor(() => expect(q.commitments.has('r0')).toBe(true), wait);

		await redis.kill('SIGKILL');
		addCard(p, 'r1', { customer: 'While down, on a', sku: 'R-1', qty: 1, requestedDate: D(5) });
		addCard(q, 'r2', { customer: 'While down, on b', sku: 'R-2', qty: 2, requestedDate: D(5) });
		// No relay now: each node reads the other's saved rows back from Postgres.
		await vi.waitFor(() => {
			expect(q.commitments.has('r1')).toBe(true);
			expect(p.commitments.has('r2')).toBe(true);
		}, wait);

		redis = await startRedis(redisPort);
		addCard(q, 'r3', { customer: 'After', sku: 'R-3', qty: 3, requestedDate: D(5) });
		await vi.waitFor(() => expect(p.commitments.has('r3')).toBe(true), wait);
		await vi.waitFor(() => expect(docHash(p.doc)).toBe(docHash(q.doc)), wait);
		await vi.waitFor(async () => expect((await db.sql`select id from commitments where board_id = 'restart' order by id`).map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3']), wait);
	});
});
