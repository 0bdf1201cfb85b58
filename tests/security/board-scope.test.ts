// Boards have a site scope; display tokens belong to one board (CONTRACT "Additions of wave 2").
// Against a real node (its own process, with the app's pages): who may open which board over Yjs
// (refused with 4403 before any document byte) and REST (403), which sites a card may ship from,
// card ids, and a display token that reaches its own wall and nothing else.
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AdminBoard } from '../../src/lib/contract/admin.ts';
import type { CommitmentWithRisk } from '../../src/lib/contract/commitments.ts';
import type { WallSnapshot } from '../../src/lib/contract/notifications.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/contract/socket-events.ts';
import { CLOSE_CODES, MESSAGE_AUTH } from '../../server/realtime/yjs/yjs.protocol.ts';
import { AuditRepository } from '../../server/repositories/audit.repository.ts';
import { BoardsRepository } from '../../server/repositories/boards.repository.ts';
import { CatalogAdminRepository } from '../../server/repositories/catalog-admin.repository.ts';
import { CommitmentsRepository } from '../../server/repositories/commitments.repository.ts';
import { OUTBOX_CHANNEL } from '../../server/repositories/outbox.repository.ts';
import { BoardsService } from '../../server/services/boards.service.ts';
import { NotFoundError } from '../../server/services/errors.ts';
import { D } from '../support/alerts.ts';
import { waitForValue } from '../support/wait.ts';
import { spawnTestNode, type SpawnedNode } from '../support/process.ts';
import { appPages, appRoutes, limitedUser } from '../support/scope.ts';
import { outcome, yjsPeer } from '../support/yjs.ts';
import { caseTable } from './harness.ts';

let node: SpawnedNode;
const cookie: Record<'admin' | 'ops' | 'opsAB' | 'salesA' | 'sales', string> = { admin: '', ops: '', opsAB: '', salesA: '', sales: '' };
const display: Record<'north' | 'main', string> = { north: '', main: '' };
const table = caseTable();

async function call<T = unknown>(method: string, path: string, auth: { cookie?: string; token?: string }, body?: unknown): Promise<{ status: number; body: T; text: string }> {
	const headers: Record<string, string> = { origin: node.url };
	if (auth.cookie) headers.cookie = auth.cookie;
	if (auth.token) headers.authorization = `Bearer ${auth.token}`;
	if (body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(`${node.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
	const text = await res.text();
	// Pages answer HTML; only JSON answers have a body to look into.
	const json = (res.headers.get('content-type') ?? '').includes('application/json');
	return { status: res.status, body: (json && text ? JSON.parse(text) : text) as T, text };
}

const card = (over: Record<string, unknown>) => ({ customer: 'Acme', sku: 'K', qty: 5, requestedDate: D(5), ...over });

beforeAll(async () => {
	node = await spawnTestNode('sec-scope');
	await node.db.sql`insert into sites (code, name) values ('A', 'Site A'), ('B', 'Site B'), ('C', 'Site C')`;
	cookie.admin = await limitedUser(node, 'admin@scope.test', 'admin', null);
	cookie.ops = await limitedUser(node, 'ops@scope.test', 'ops', null);
	cookie.opsAB = await limitedUser(node, 'opsab@scope.test', 'ops', ['A', 'B']);
	cookie.salesA = await limitedUser(node, 'salesa@scope.test', 'sales', ['A']);
	cookie.sales = await limitedUser(node, 'sales@scope.test', 'sales', null);
	for (const b of [{ id: 'north', name: 'North', sites: ['A'] }, { id: 'ab', name: 'A and B', sites: ['B', 'A'] }]) {
		expect((await call('POST', '/api/admin/boards', { cookie: cookie.admin }, b)).status).toBe(201);
	}
	for (const board of ['north', 'main'] as const) {
		const res = await call<{ token: string; board: string }>('POST', '/api/admin/tokens', { cookie: cookie.admin }, { name: `wall ${board}`, scope: 'display', board });
		expect(res.body.board).toBe(board);
		display[board] = res.body.token;
	}
	// One card on each board at site A, one on main at C (ops places them: sites are ops-owned).
	for (const [id, board, site] of [['m-A', 'main', 'A'], ['m-C', 'main', 'C'], ['n-A', 'north', 'A']]) {
		expect((await call('POST', '/api/commitments', { cookie: cookie.ops }, card({ id, board, site }))).status).toBe(201);
	}
}, 120_000);
afterAll(async () => {
	table.print('Board scope and display tokens');
	await node?.stop();
});

describe('the boards admin API', () => {
	it('lists main (every site) and the boards made, validates, refuses non-admins and audits', async () => {
		const list = await call<AdminBoard[]>('GET', '/api/admin/boards', { cookie: cookie.admin });
		expect(list.body.map((b) => [b.id, b.sites])).toEqual([['ab', ['A', 'B']], ['main', null], ['north', ['A']]]);
		expect((await call('POST', '/api/admin/boards', { cookie: cookie.admin }, { id: 'north', name: 'again', sites: null })).status).toBe(409);
		for (const bad of [{ id: 'a/b', name: 'x', sites: null }, { id: 'x', name: 'x', sites: [] }, { id: 'x', name: 'x', sites: ['NOPE'] }, { id: 'x', name: 'x' }]) {
			expect((await call('POST', '/api/admin/boards', { cookie: cookie.admin }, bad)).status).toBe(400);
		}
		expect((await call('PATCH', '/api/admin/boards/nope', { cookie: cookie.admin }, { name: 'x' })).status).toBe(404);
		expect((await call('GET', '/api/admin/boards', { cookie: cookie.ops })).status).toBe(403);
		expect((await call('POST', '/api/admin/boards', { cookie: cookie.ops }, { id: 'y', name: 'y', sites: null })).status).toBe(403);
		const audit = await node.db.sql<{ action: string; actor: string }[]>`select action, actor from audit_log where action like 'board.%' order by id`;
		expect(audit.slice(0, 2)).toEqual([{ action: 'board.created', actor: 'admin@scope.test' }, { action: 'board.created', actor: 'admin@scope.test' }]);
	});

	it('gives a display token exactly one existing board, and other tokens none', async () => {
		const bad = [{ name: 'x', scope: 'display' }, { name: 'x', scope: 'display', board: 'nope' }, { name: 'x', scope: 'ingest', board: 'main' }];
		for (const body of bad) expect((await call('POST', '/api/admin/tokens', { cookie: cookie.admin }, body)).status).toBe(400);
		const rows = await node.db.sql<{ scope: string; board_id: string | null }[]>`select scope, board_id from api_tokens order by created_at`;
		expect(rows).toEqual([{ scope: 'display', boardId: 'north' }, { scope: 'display', boardId: 'main' }]);
	});
});

describe('the scope service the board guard calls', () => {
	const service = (scopeTtlMs?: number) => {
		const sql = node.db.sql;
		const repos = { boards: new BoardsRepository(sql), audit: new AuditRepository(sql), commitments: new CommitmentsRepository(sql), catalogAdmin: new CatalogAdminRepository(sql) };
		return new BoardsService({ sql, ...repos, scopeTtlMs });
	};

	it('answers scopes from a cache that its own changes clear and that expires for others', async () => {
		const boards = service(100);
		expect(boards.peekScope('ab')).toBeUndefined();
		expect(await boards.scopeOf('ab')).toEqual(['A', 'B']);
		expect(boards.peekScope('ab')).toEqual(['A', 'B']);
		await expect(boards.scopeOf('nope')).rejects.toBeInstanceOf(NotFoundError);
		// Another node changes the scope: seen once the entry expires.
		await node.db.sql`update boards set sites = '{B}' where id = 'ab'`;
		expect(await boards.scopeOf('ab')).toEqual(['A', 'B']);
		await vi.waitFor(async () => expect(await boards.scopeOf('ab')).toEqual(['B']), { timeout: 2000, interval: 20 });
		// Its own admin change: seen at once.
		const admin = { kind: 'user', userId: 'u', sessionId: 's', email: 'admin@scope.test', name: 'a', role: 'admin', sites: null } as const;
		const slow = service(60_000);
		await slow.scopeOf('ab');
		await slow.update(admin, 'ab', { sites: ['A', 'B'] });
		expect(await slow.scopeOf('ab')).toEqual(['A', 'B']);
	});

	it('tells which board each stored commitment id is on', async () => {
		const found = await service().boardsOfCommitments(['m-A', 'n-A', 'm-A', 'never-stored']);
		expect(found).toEqual(new Map([['m-A', 'main'], ['n-A', 'north']]));
	});
});

type YjsCase = [who: string, auth: () => { cookie?: string; token?: string }, board: string, expected: 'open' | number];
const yjsCases: YjsCase[] = [
	['ops of A, B on main (every site)', () => ({ cookie: cookie.opsAB }), 'main', CLOSE_CODES.forbidden],
	['ops of A, B on north (A)', () => ({ cookie: cookie.opsAB }), 'north', 'open'],
	['ops of A, B on ab (A, B)', () => ({ cookie: cookie.opsAB }), 'ab', 'open'],
	['sales of A on ab (A, B)', () => ({ cookie: cookie.salesA }), 'ab', CLOSE_CODES.forbidden],
	['sales of every site on main', () => ({ cookie: cookie.sales }), 'main', 'open'],
	['sales of A opens a board nobody made', () => ({ cookie: cookie.salesA }), 'nobody-made', CLOSE_CODES.forbidden],
	['a display token opens a board nobody made', () => ({ token: display.main }), 'nobody-made', CLOSE_CODES.forbidden],
	['display token of north on north', () => ({ token: display.north }), 'north', 'open'],
	['display token of north on main', () => ({ token: display.north }), 'main', CLOSE_CODES.forbidden],
	['display token of main on north', () => ({ token: display.main }), 'north', CLOSE_CODES.forbidden]
];

describe('Yjs: who opens which board', () => {
	it.each(yjsCases.map(([who, auth, board, expected]) => ({ name: `${who} → ${expected}`, who, auth, board, expected })))('$name', async ({ who, auth, board, expected }) => {
		const p = yjsPeer(node.url, board, auth());
		const got = await outcome(p);
		table.record({ channel: 'Yjs', attack: who, target: `/yjs/${board}`, expected: String(expected), got: String(got) });
		expect(got).toBe(expected);
		// Refused before the board was loaded: not one document byte reached the peer.
		if (expected !== 'open') expect(p.frames).toEqual([]);
		p.ws.close();
	});

	it('creates a board on first open only for someone of every site who edits boards', async () => {
		expect(await node.db.sql`select 1 from boards where id = 'nobody-made'`).toHaveLength(0);
		const viewer = await limitedUser(node, 'viewer@scope.test', 'viewer', null);
		expect(await outcome(yjsPeer(node.url, 'nobody-made', { cookie: viewer }))).toBe(CLOSE_CODES.forbidden);
		expect(await node.db.sql`select 1 from boards where id = 'nobody-made'`).toHaveLength(0);
		const p = yjsPeer(node.url, 'fresh', { cookie: cookie.sales });
		expect(await outcome(p)).toBe('open');
		p.ws.close();
		expect(await node.db.sql`select sites from boards where id = 'fresh'`).toEqual([{ sites: null }]);
		expect(await node.db.sql`select actor from audit_log where action = 'board.created' and detail->>'id' = 'fresh'`).toEqual([{ actor: 'sales@scope.test' }]);
	});

	it("lets a display token read its board's document but write nothing", async () => {
		const before = await node.db.sql`select count(*)::int as n from board_updates where board_id = 'north'`;
		const p = yjsPeer(node.url, 'north', { token: display.north });
		await p.answered;
		// A sync update adding a card (y-websocket frame: sync, update, the encoded update).
		const Y = await import('yjs');
		const enc = await import('lib0/encoding');
		const doc = new Y.Doc();
		doc.getMap('commitments').set('evil', new Y.Map());
		const e = enc.createEncoder();
		enc.writeVarUint(e, 0);
		enc.writeVarUint(e, 2);
		enc.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc));
		p.ws.send(enc.toUint8Array(e));
		await waitForValue(async () => p.frames.some((f) => f[0] === MESSAGE_AUTH));
		expect(await node.db.sql`select count(*)::int as n from board_updates where board_id = 'north'`).toEqual(before);
		p.ws.close();
	});
});

describe('REST: who opens which board', () => {
	type Case = [who: keyof typeof cookie, method: string, path: string, expected: number, body?: unknown];
	const cases: Case[] = [
		['opsAB', 'GET', '/board/main', 403],
		['opsAB', 'GET', '/board', 403],
		['opsAB', 'GET', '/board/north', 200],
		['salesA', 'GET', '/board/ab', 403],
		['salesA', 'GET', '/board/not-a-board', 404],
		['opsAB', 'GET', '/api/commitments?board=main', 403],
		['opsAB', 'GET', '/api/commitments?board=north', 200],
		['opsAB', 'GET', '/api/wall/main', 403],
		['opsAB', 'GET', '/wall/main', 403],
		['opsAB', 'GET', '/api/wall/north', 200],
		['opsAB', 'GET', '/api/commitments/m-A/history', 403],
		['opsAB', 'PATCH', '/api/commitments/m-A', 403, { promisedDate: D(6) }],
		['opsAB', 'POST', '/api/commitments', 403, card({ board: 'main' })],
		['salesA', 'POST', '/api/commitments', 403, card({ board: 'ab' })],
		['salesA', 'POST', '/api/commitments', 404, card({ board: 'nobody-made' })],
		['salesA', 'POST', '/api/commitments', 201, card({ board: 'north', id: 'by-salesA' })]
	];
	it.each(cases.map(([who, method, path, expected, body]) => ({ name: `${who} ${method} ${path} → ${expected}`, who, method, path, expected, body })))(
		'$name',
		async ({ who, method, path, expected, body }) => {
			const res = await call(method, path, { cookie: cookie[who] }, body);
			table.record({ channel: 'REST', attack: who, target: `${method} ${path}`, expected: String(expected), got: String(res.status) });
			expect(res.status, res.text.slice(0, 300)).toBe(expected);
		}
	);

	it('lists and exports only the commitments of boards the reader covers', async () => {
		const list = await call<CommitmentWithRisk[]>('GET', '/api/commitments', { cookie: cookie.opsAB });
		expect(list.body.map((c) => c.id).sort()).toEqual(['by-salesA', 'n-A']);
		const all = await call<CommitmentWithRisk[]>('GET', '/api/commitments', { cookie: cookie.ops });
		expect(all.body.map((c) => c.id).sort()).toEqual(['by-salesA', 'm-A', 'm-C', 'n-A']);
		const csv = await call('GET', '/api/export/commitments.csv', { cookie: cookie.opsAB });
		expect(csv.status).toBe(200);
		expect(csv.text).toContain('n-A');
		expect(csv.text).not.toContain('m-A');
	});
});

describe("REST: a card's site and id", () => {
	it('refuses a site outside the board scope on create and on change, and says why', async () => {
		const created = await call<{ error: string }>('POST', '/api/commitments', { cookie: cookie.ops }, card({ board: 'north', site: 'B' }));
		expect([created.status, created.body.error]).toEqual([400, 'site B is outside the scope of board north (A)']);
		const moved = await call<{ error: string }>('PATCH', '/api/commitments/n-A', { cookie: cookie.ops }, { site: 'C' });
		expect([moved.status, moved.body.error]).toEqual([400, 'site C is outside the scope of board north (A)']);
		expect((await call('PATCH', '/api/commitments/n-A', { cookie: cookie.ops }, { site: null })).status).toBe(200);
		expect((await call('PATCH', '/api/commitments/n-A', { cookie: cookie.ops }, { site: 'A' })).status).toBe(200);
		expect(await node.db.sql`select site from commitments where id = 'n-A'`).toEqual([{ site: 'A' }]);
	});

	it('refuses ids outside the pattern, and an id that names a commitment on another board', async () => {
		for (const id of ['-lead', '.dot', 'a/b', 'a b', 'x'.repeat(129), '__proto__']) {
			const res = await call('POST', '/api/commitments', { cookie: cookie.sales }, card({ id }));
			expect(res.status, id).toBe(400);
		}
		const taken = await call<{ error: string }>('POST', '/api/commitments', { cookie: cookie.ops }, card({ id: 'm-A', board: 'north' }));
		expect([taken.status, taken.body.error]).toEqual([409, 'commitment m-A is on board main: an id names one commitment on one board']);
		expect(await node.db.sql`select board_id from commitments where id = 'm-A'`).toEqual([{ boardId: 'main' }]);
	});
});

describe('a display token', () => {
	it('shows its own wall (page and snapshot) with the alerts of its sites only', async () => {
		// SKU Q has no position to recompute: the engine leaves these alerts alone.
		await node.db.sql`insert into alerts (kind, severity, subject_key, sku, site, message) values
			('below_safety_stock', 'medium', 'Q|A', 'Q', 'A', 'at A'), ('below_safety_stock', 'medium', 'Q|C', 'Q', 'C', 'at C')`;
		const snap = await call<WallSnapshot>('GET', '/api/wall/north', { token: display.north });
		expect(snap.status).toBe(200);
		expect(snap.body.alerts.map((a) => a.site)).toEqual(['A']);
		expect(snap.body.board).toBe('north');
		const alerts = await call<{ site: string }[]>('GET', '/api/alerts', { token: display.north });
		expect(alerts.body.map((a) => a.site)).toEqual(['A']);
		expect((await fetch(`${node.url}/wall/north?token=${display.north}`)).status).toBe(200);
		expect((await fetch(`${node.url}/wall/main?token=${display.north}`)).status).toBe(403);
		// The wall of main shows every site: its own token sees both alerts.
		expect((await call<WallSnapshot>('GET', '/api/wall/main', { token: display.main })).body.alerts.map((a) => a.site).sort()).toEqual(['A', 'C']);
	});

	it('gets 403 from every other route and page, whatever it sends', async () => {
		const allowed = new Set(['GET /api/alerts', 'GET /api/wall/north', 'GET /wall/north']);
		const params: Record<string, string> = { boardId: 'north', id: '00000000-0000-0000-0000-000000000000', sku: 'K', site: 'A', code: 'A', kind: 'commitments', list: 'commitments' };
		const targets = [
			...appRoutes().map((r) => ({ method: r.method, path: r.path.replace(/:(\w+)/g, (_m, name: string) => params[name] ?? 'x') })),
			{ method: 'GET', path: '/api/wall/main' },
			...appPages(params).map((path) => ({ method: 'GET', path })),
			{ method: 'GET', path: '/wall/main' },
			{ method: 'GET', path: '/board/main' }
		];
		expect(targets.length).toBeGreaterThan(60);
		for (const t of targets) {
			const key = `${t.method} ${t.path}`;
			const res = await call(t.method, t.path, { token: display.north }, t.method === 'GET' ? undefined : {});
			const expected = allowed.has(key) ? 200 : 403;
			table.record({ channel: 'REST', attack: 'display token of north', target: key, expected: String(expected), got: String(res.status) });
			expect(res.status, key).toBe(expected);
		}
	});

	it("receives live and replayed events of its board's sites only", async () => {
		const s: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocket(node.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: display.north } });
		const got: string[] = [];
		const note = (kind: string) => (m: { site: string | null; board?: string }) => got.push(`${kind}:${m.board ?? ''}:${m.site}`);
		s.on('alert', note('alert'));
		s.on('position', note('position'));
		s.on('commitment', note('commitment'));
		await new Promise<void>((resolve, reject) => (s.on('connect', resolve), s.on('connect_error', reject)));
		const rows = [
			['alert', 'A', { id: 'x1', site: 'A' }], ['alert', 'C', { id: 'x2', site: 'C' }],
			['position', 'A', { sku: 'K', site: 'A' }], ['position', 'B', { sku: 'K', site: 'B' }],
			['commitment', 'A', { id: 'n-A', board: 'north', site: 'A' }], ['commitment', 'A', { id: 'm-A', board: 'main', site: 'A' }]
		] as const;
		const [{ seq }] = await node.db.sql<{ seq: number }[]>`select coalesce(max(seq), 0)::int as seq from outbox`;
		for (const [topic, site, payload] of rows) await node.db.sql`insert into outbox (topic, site, payload) values (${topic}, ${site}, ${node.db.sql.json(payload)})`;
		await node.db.sql`select pg_notify(${OUTBOX_CHANNEL}, 'new')`;
		const expected = ['alert::A', 'position::A', 'commitment:north:A'];
		// A row for this socket committed after the others: once it is here, the relay has passed them all.
		await node.db.sql`insert into outbox (topic, site, payload) values ('alert', 'A', ${node.db.sql.json({ id: 'marker', site: 'A' })})`;
		await node.db.sql`select pg_notify(${OUTBOX_CHANNEL}, 'new')`;
		const withMarker = [...expected, 'alert::A'].sort();
		await vi.waitFor(() => expect([...got].sort()).toEqual(withMarker), { timeout: 10_000 });
		got.length = 0;
		await s.emitWithAck('replay', { sinceSeq: seq });
		expect(got.sort()).toEqual(withMarker);
		s.disconnect();
	});

	it('is reconnected when its board changes scope, and then sees the new scope', async () => {
		const p = yjsPeer(node.url, 'north', { token: display.north });
		await p.answered;
		expect((await call('PATCH', '/api/admin/boards/north', { cookie: cookie.admin }, { sites: ['A', 'C'] })).status).toBe(200);
		expect((await p.closed).code).toBe(CLOSE_CODES.unauthorised);
		const snap = await call<WallSnapshot>('GET', '/api/wall/north', { token: display.north });
		expect(snap.body.alerts.map((a) => a.site).sort()).toEqual(['A', 'C']);
		// A person of A and B no longer covers north.
		expect((await call('GET', '/api/wall/north', { cookie: cookie.opsAB })).status).toBe(403);
	});
});

describe('a board re-scoped while open', () => {
	it('closes the documents of people who no longer cover it with 4403, and keeps the others', async () => {
		const gone = yjsPeer(node.url, 'ab', { cookie: cookie.opsAB });
		const stays = yjsPeer(node.url, 'ab', { cookie: cookie.ops });
		await Promise.all([gone.answered, stays.answered]);
		expect((await call('PATCH', '/api/admin/boards/ab', { cookie: cookie.admin }, { sites: ['A', 'B', 'C'] })).status).toBe(200);
		const t0 = Date.now();
		const { code } = await gone.closed;
		table.record({ channel: 'Yjs', attack: 'board re-scoped beyond the sites of an open peer', target: '/yjs/ab', expected: '4403', got: `${code} after ${Date.now() - t0} ms` });
		expect(code).toBe(CLOSE_CODES.forbidden);
		expect(stays.ws.readyState).toBe(stays.ws.OPEN);
		stays.ws.close();
	});
});
