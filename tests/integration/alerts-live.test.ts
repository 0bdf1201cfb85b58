import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage, ClientToServerEvents, HeartbeatMessage, ServerToClientEvents } from '../../src/lib/contract/socket-events.ts';
import type { HandoffNote, NotificationState, WallSnapshot } from '../../src/lib/contract/notifications.ts';
import { addDays } from '../../src/lib/core/dates.ts';
import { api, userCookie } from '../support/api.ts';
import { postEvents, startTestNode, type TestNode } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';

let node: TestNode;
let ops: string;
let display: string;
const today = new Date().toISOString().slice(0, 10);
const D = (n: number) => addDays(today, n);

function socket(auth: { cookie?: string; token?: string }): Socket<ServerToClientEvents, ClientToServerEvents> {
	return connectSocket(node.url, {
		path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true,
		extraHeaders: auth.cookie ? { cookie: auth.cookie } : {}, auth: auth.token ? { token: auth.token } : undefined
	});
}
const connected = (s: Socket) => new Promise<void>((resolve, reject) => (s.on('connect', resolve), s.on('connect_error', reject)));
const bearer = (token: string, path: string) => fetch(`${node.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
	node = await startTestNode('alertslive', { env: { HEARTBEAT_MS: '300', SWEEP_AFTER_SECONDS: '1', SWEEP_EVERY_MS: '300' } });
	ops = await userCookie(node, 'ops@live.local', 'ops');
	display = (await node.services.auth.createToken('lobby wall', 'display', null)).token;
	await node.services_.sql`insert into sites (code, name, time_zone) values ('S', 'Site S', 'UTC'), ('T', 'Site T', 'Asia/Tokyo')`;
	await node.services_.sql`insert into skus (code, name, lead_time_days) values ('K', 'Widget', 10)`;
});
afterAll(async () => {
	await node?.stop();
});

describe('notification preferences', () => {
	it('start from the role defaults, save per user, and refuse sites the user cannot follow', async () => {
		const first = await api<NotificationState>(node, ops, 'GET', '/api/me/notifications');
		expect(first.status).toBe(200);
		expect(first.body).toMatchObject({ prefs: { enabled: true, role: 'ops', sites: [], minSeverity: 'medium' }, canAck: true, user: { email: 'ops@live.local' } });
		const saved = await api(node, ops, 'PUT', '/api/me/notifications', { enabled: true, role: 'sales', sites: ['T', 'S', 'S'], minSeverity: 'critical' });
		expect(saved.body).toEqual({ enabled: true, role: 'sales', sites: ['S', 'T'], minSeverity: 'critical' });
		expect((await api<NotificationState>(node, ops, 'GET', '/api/me/notifications')).body.prefs.minSeverity).toBe('critical');
		expect((await api(node, ops, 'PUT', '/api/me/notifications', { enabled: true, role: 'ops', sites: ['NOPE'], minSeverity: 'low' })).status).toBe(400);
		expect((await api(node, ops, 'PUT', '/api/me/notifications', { enabled: true, role: 'boss', sites: [], minSeverity: 'low' })).status).toBe(400);
		const viewer = await userCookie(node, 'viewer@live.local', 'viewer');
		expect((await api<NotificationState>(node, viewer, 'GET', '/api/me/notifications')).body).toMatchObject({ prefs: { enabled: false }, canAck: false });
		// Tokens (wall screens) have no preferences of their own.
		expect((await bearer(display, '/api/me/notifications')).status).toBe(403);
	});
});

describe('shift handoff', () => {
	it('keeps one note per site and shift, written by ops, read by everyone', async () => {
		const w1 = await api<HandoffNote>(node, ops, 'PUT', '/api/handoff/S', { body: 'Dock 3 door is stuck; use dock 4.' });
		expect(w1.status).toBe(200);
		expect(w1.body).toMatchObject({ site: 'S', author: 'ops@live.local', body: 'Dock 3 door is stuck; use dock 4.' });
		const w2 = await api<HandoffNote>(node, ops, 'PUT', '/api/handoff/S', { body: 'Dock 3 fixed.' });
		expect([w2.body.date, w2.body.shift]).toEqual([w1.body.date, w1.body.shift]);
		await api(node, ops, 'PUT', '/api/handoff/T', { body: 'Night: count aisle 7.', date: D(-1), shift: 'night' });
		const list = await api<HandoffNote[]>(node, ops, 'GET', '/api/handoff');
		expect(list.body.map((n) => [n.site, n.body])).toEqual([['S', 'Dock 3 fixed.'], ['T', 'Night: count aisle 7.']]);
		expect((await api(node, ops, 'PUT', '/api/handoff/S', { body: 'x', date: D(0) })).status).toBe(400);
		expect((await api(node, ops, 'PUT', '/api/handoff/NOPE', { body: 'x' })).status).toBe(404);
		const sales = await userCookie(node, 'sales@live.local', 'sales');
		expect((await api(node, sales, 'PUT', '/api/handoff/S', { body: 'x' })).status).toBe(403);
		expect((await api(node, sales, 'GET', '/api/handoff?site=T')).body).toHaveLength(1);
	});
});

describe('alerts for toasts and walls', () => {
	it('say what changed, reach a display-token socket, and fill the wall snapshot', async () => {
		const wall = socket({ token: display });
		const got: AlertMessage[] = [];
		wall.on('alert', (m) => got.push(m));
		await connected(wall);
		await postEvents(node, [
			{ id: 'r1', type: 'receipt', sku: 'K', site: 'S', qty: 50, at: `${D(-2)}T06:00:00Z` },
			{ id: 'p1', type: 'po', sku: 'K', site: 'S', qty: 50, po: 'PO-1', eta: D(2), at: `${D(-2)}T06:00:00Z` }
		]);
		const created = await api(node, ops, 'POST', '/api/commitments', { id: 'C1', customer: 'Acme', sku: 'K', qty: 90, requestedDate: D(1), promisedDate: D(1), site: 'S', status: 'confirmed' });
		expect(created.status).toBe(201);
		const critical = await waitForValue(async () => got.find((m) => m.kind === 'commitment_short' && m.change === 'opened'));
		expect(critical).toMatchObject({ severity: 'critical', status: 'open', acknowledgedAt: null });

		const snap = (await (await bearer(display, '/api/wall/main')).json()) as WallSnapshot;
		expect(snap.alerts.map((a) => a.kind)).toContain('commitment_short');
		expect(snap.commitments.map((c) => [c.id, c.risk])).toEqual([['C1', 'short']]);
		expect(snap.shipments.tomorrow.map((c) => c.id)).toEqual(['C1']);
		expect(snap.kpis).toMatchObject({ openCommitments: 1, short: 1, fillRate: 50 / 90 });
		expect(snap.handoff.map((n) => n.site)).toEqual(['S', 'T']);
		expect(snap.sinceSeq).toBeGreaterThanOrEqual(critical.seq);

		expect((await api(node, ops, 'POST', `/api/alerts/${critical.id}/ack`)).status).toBe(200);
		const acked = await waitForValue(async () => got.find((m) => m.id === critical.id && m.change === 'acknowledged'));
		expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ops@live.local' });
		expect(Date.parse(acked.acknowledgedAt!)).toBeGreaterThan(Date.now() - 60_000);
		wall.disconnect();
	});

	it('filters the alert list by severity, kind and site', async () => {
		const crit = await api<AlertMessage[]>(node, ops, 'GET', '/api/alerts?severity=critical');
		expect(crit.body.map((a) => a.kind)).toEqual(['commitment_short']);
		const kind = await api<AlertMessage[]>(node, ops, 'GET', '/api/alerts?kind=stockout_projected&site=S');
		expect(kind.body.every((a) => a.kind === 'stockout_projected' && a.site === 'S')).toBe(true);
		expect((await api(node, ops, 'GET', '/api/alerts?severity=urgent')).status).toBe(400);
	});

	it('accepts ?token= nowhere but wall pages', async () => {
		expect((await fetch(`${node.url}/api/alerts?token=${display}`)).status).toBe(401);
		expect((await fetch(`${node.url}/api/wall/main?token=${display}`)).status).toBe(401);
	});
});

describe('delivery that misses nothing', () => {
	it('beats every HEARTBEAT_MS on every socket', async () => {
		const s = socket({ cookie: ops });
		const beats: HeartbeatMessage[] = [];
		s.on('heartbeat', (b) => beats.push(b));
		await connected(s);
		await waitForValue(async () => beats.length >= 2, 3000);
		expect(beats[0].every).toBe(300);
		s.disconnect();
	});

	it('sends a socket only the topics it subscribed to, live and in replay', async () => {
		const s = socket({ token: display });
		const topics: string[] = [];
		for (const t of ['position', 'alert', 'commitment'] as const) s.on(t, () => topics.push(t));
		await connected(s);
		expect(await s.emitWithAck('subscribe', { topics: ['alert'] })).toEqual({ topics: ['alert'] });
		expect(await s.emitWithAck('subscribe', { topics: ['gossip'] } as never)).toEqual({ error: expect.stringContaining('topics') });
		await s.emitWithAck('replay', { sinceSeq: 0 });
		await postEvents(node, { id: 'sub-1', type: 'shipment', sku: 'K', site: 'S', qty: 100, at: `${D(0)}T07:00:00Z` });
		await waitForValue(async () => topics.filter((t) => t === 'alert').length >= 3);
		expect(new Set(topics)).toEqual(new Set(['alert']));
		s.disconnect();
	});

	it('prunes old outbox rows and tells a client that was away longer that its replay is incomplete', async () => {
		await waitForValue(async () => {
			const [{ n }] = await node.services_.sql<{ n: number }[]>`select count(*)::int as n from position_dirty where dirty_since is not null`;
			return n === 0;
		});
		const last = await node.repos.outbox.lastSeq();
		await node.services_.sql`update outbox set created_at = now() - interval '10 days' where seq <= ${last}`;
		// The node's own pruner may get there first (it also runs soon after start): either way, the rows go.
		await node.repos.outbox.pruneOlderThan(168);
		// Everything old is gone but the newest row, which keeps lastSeq from ever going back.
		const old = await node.services_.sql<{ seq: number }[]>`select seq from outbox where created_at < now() - interval '7 days'`;
		expect(old.map((r) => r.seq)).toEqual((await node.repos.outbox.lastSeq()) === last ? [last] : []);
		const horizon = await node.repos.outbox.prunedThrough();
		expect(horizon).toBeGreaterThan(0);

		const s = socket({ cookie: ops });
		await connected(s);
		expect(await s.emitWithAck('replay', { sinceSeq: 0 })).toMatchObject({ truncated: true });
		expect(await s.emitWithAck('replay', { sinceSeq: horizon })).not.toHaveProperty('truncated');
		s.disconnect();
	});
});
