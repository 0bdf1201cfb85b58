// Socket.IO: the handshake refuses bad credentials, writes over the socket obey the policy, hostile
// frames close only the offender, and a revoked session or token loses its open socket in seconds.
import { randomBytes } from 'node:crypto';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/contract/socket-events.ts';
import { caseTable, EVIL_ORIGIN, expectHealthy, PASSWORD, signInCookie, snapshot, startHarness, type Harness } from './harness.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
let h: Harness;
let alertId: string;
const table = caseTable();
const open: Client[] = [];

beforeAll(async () => {
	h = await startHarness('sec-socket');
	const [row] = await h.node.sql<{ id: string }[]>`insert into alerts (kind, severity, subject_key, sku, site, message)
		values ('below_safety_stock', 'medium', 'S|A', 'S', 'A', 'test alert') returning id`;
	alertId = row.id;
});
afterAll(async () => {
	for (const s of open) s.close();
	table.print('Socket.IO attacks');
	await h?.node.stop();
});

function client(opts: { cookie?: string; token?: string; origin?: string } = {}): Client {
	const headers: Record<string, string> = {};
	if (opts.cookie) headers.cookie = opts.cookie;
	if (opts.origin) headers.origin = opts.origin;
	const s: Client = connectSocket(h.node.url, {
		path: '/socket.io',
		transports: ['websocket'],
		extraHeaders: headers,
		auth: opts.token ? { token: opts.token } : {},
		reconnection: false,
		forceNew: true
	});
	open.push(s);
	return s;
}

/** 'connected' or the connect_error message. */
function outcome(s: Client): Promise<string> {
	return new Promise((resolve) => {
		s.once('connect', () => resolve('connected'));
		s.once('connect_error', (err) => resolve(err.message));
	});
}

function disconnection(s: Client): Promise<string> {
	return new Promise((resolve) => s.once('disconnect', (reason) => resolve(reason)));
}

type HandshakeCase = [attack: string, opts: (h: Harness) => { cookie?: string; token?: string; origin?: string }, expected: string];
const handshakes: HandshakeCase[] = [
	['no credentials', () => ({}), 'unauthorised'],
	['forged cookie', (h) => ({ cookie: h.bad.forged }), 'unauthorised'],
	['cookie signed with another secret', (h) => ({ cookie: h.bad.wrongSecret }), 'unauthorised'],
	['expired session cookie', (h) => ({ cookie: h.bad.expired }), 'unauthorised'],
	['signed-out session cookie', (h) => ({ cookie: h.bad.signedOut }), 'unauthorised'],
	['revoked display token', (h) => ({ token: h.tokens.revokedDisplay }), 'unauthorised'],
	['garbage token', () => ({ token: randomBytes(200).toString('base64') }), 'unauthorised'],
	['wrong scope: ingest token reads the feed', (h) => ({ token: h.tokens.ingest }), 'unauthorised'],
	['cross-origin page with the ops cookie', (h) => ({ cookie: h.cookie.ops, origin: EVIL_ORIGIN }), 'cross-origin refused'],
	['control: ops cookie from our own page', (h) => ({ cookie: h.cookie.ops, origin: h.node.url }), 'connected'],
	['control: display token', (h) => ({ token: h.tokens.display }), 'connected']
];

describe('Socket.IO handshake', () => {
	it.each(handshakes.map(([attack, opts, expected]) => ({ name: `${attack} → ${expected}`, attack, opts, expected })))(
		'$name',
		async ({ attack, opts, expected }) => {
			const got = await outcome(client(opts(h)));
			table.record({ channel: 'Socket.IO', attack, target: 'handshake', expected, got });
			expect(got).toBe(expected);
			await expectHealthy(h.node);
		}
	);
});

describe('Socket.IO messages', () => {
	it.each([
		['wrong role: viewer acks an alert', (h: Harness) => ({ cookie: h.cookie.viewer })],
		['wrong scope: display token acks an alert', (h: Harness) => ({ token: h.tokens.display })]
	])('%s → refused in the ack, alert unchanged', async (attack, opts) => {
		const s = client(opts(h));
		expect(await outcome(s)).toBe('connected');
		const answer = await s.timeout(5000).emitWithAck('alert:ack', { id: alertId });
		table.record({ channel: 'Socket.IO', attack, target: 'alert:ack', expected: '{error}', got: JSON.stringify(answer) });
		expect(answer).toEqual({ error: expect.any(String) });
		const [row] = await h.node.sql`select status, acknowledged_by from alerts where id = ${alertId}`;
		expect(row).toEqual({ status: 'open', acknowledgedBy: null });
	});

	it('answers a malformed replay with an error and keeps the socket', async () => {
		const s = client({ cookie: h.cookie.ops });
		expect(await outcome(s)).toBe('connected');
		const answer = await s.timeout(5000).emitWithAck('replay', { sinceSeq: 'x' } as never);
		table.record({ channel: 'Socket.IO', attack: 'malformed payload', target: 'replay', expected: '{error}', got: JSON.stringify(answer) });
		expect(answer).toEqual({ error: expect.stringContaining('sinceSeq') });
		expect(s.connected).toBe(true);
	});

	it('closes a socket that sends a message over 64 KiB, and only that one', async () => {
		const bystander = client({ cookie: h.cookie.ops });
		const s = client({ cookie: h.cookie.ops });
		expect(await outcome(s)).toBe('connected');
		const gone = disconnection(s);
		s.emit('replay', { sinceSeq: 0, pad: 'x'.repeat(100 * 1024) } as never, () => {});
		const reason = await gone;
		table.record({ channel: 'Socket.IO', attack: 'oversized message (100 KiB)', target: 'replay', expected: 'disconnected', got: reason });
		expect(reason).toMatch(/transport (close|error)/);
		expect(bystander.connected).toBe(true);
		await expectHealthy(h.node);
	});
});

/** A raw engine.io WebSocket; resolves when the server closes it, with what it said before. */
function rawEngine(send: (ws: WebSocket) => void, cookie?: string): Promise<{ code: number; frames: string[]; timedOut: boolean }> {
	return new Promise((resolve) => {
		const url = `${h.node.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
		const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} });
		const frames: string[] = [];
		ws.on('message', (d) => {
			frames.push(d.toString().slice(0, 80));
			if (frames.length === 1) send(ws);
		});
		let timedOut = false;
		ws.on('close', (code) => resolve({ code, frames, timedOut }));
		ws.on('error', () => {});
		setTimeout(() => ((timedOut = true), ws.terminate()), 8000);
	});
}

describe('Socket.IO transport', () => {
	const bytes = (n: number) => randomBytes(n);
	it.each([
		['random bytes (binary) before auth', undefined, (ws: WebSocket) => ws.send(bytes(512))],
		['random text before auth', undefined, (ws: WebSocket) => ws.send('\u0007' + bytes(256).toString('latin1'))],
		['random bytes (binary) after open, ops cookie', 'ops', (ws: WebSocket) => ws.send(bytes(2048))],
		['random text after open, ops cookie', 'ops', (ws: WebSocket) => ws.send('9garbage' + bytes(64).toString('hex'))],
		['a CONNECT packet with junk auth', undefined, (ws: WebSocket) => ws.send('40{"token":')]
	] as const)('%s → the server closes the connection', async (attack, who, send) => {
		const before = await snapshot(h.node);
		const { code, frames, timedOut } = await rawEngine(send, who ? h.cookie[who] : undefined);
		table.record({ channel: 'Socket.IO', attack, target: '/socket.io ws', expected: 'closed by server', got: timedOut ? 'still open' : `closed (${code})` });
		expect(frames[0]).toMatch(/^0\{"sid"/);
		expect(timedOut).toBe(false);
		expect(await snapshot(h.node)).toEqual(before);
		await expectHealthy(h.node);
	});
});

describe('Socket.IO revocation of open sockets', () => {
	it('cuts a signed-out session within seconds', async () => {
		const cookie = await signInCookie(h.node.url, 'ops@sec.test');
		const s = client({ cookie });
		expect(await outcome(s)).toBe('connected');
		const gone = disconnection(s);
		await fetch(`${h.node.url}/api/session`, { method: 'DELETE', headers: { cookie, origin: h.node.url } });
		const t0 = Date.now();
		const reason = await gone;
		table.record({ channel: 'Socket.IO', attack: 'session signed out while open', target: 'open socket', expected: 'io server disconnect', got: `${reason} after ${Date.now() - t0} ms` });
		expect(reason).toBe('io server disconnect');
	});

	it('cuts a revoked display token within seconds', async () => {
		const created = await h.node.services.auth.createToken('wall 1', 'display', null);
		const s = client({ token: created.token });
		expect(await outcome(s)).toBe('connected');
		const gone = disconnection(s);
		const res = await fetch(`${h.node.url}/api/admin/tokens/${created.id}`, { method: 'DELETE', headers: { cookie: h.cookie.admin, origin: h.node.url } });
		expect(res.status).toBe(204);
		const t0 = Date.now();
		const reason = await gone;
		table.record({ channel: 'Socket.IO', attack: 'display token revoked while open', target: 'open socket', expected: 'io server disconnect', got: `${reason} after ${Date.now() - t0} ms` });
		expect(reason).toBe('io server disconnect');
	});

	it('cuts a user whose role changes or who is disabled', async () => {
		for (const [change, body] of [['role changed to viewer', { role: 'viewer' }], ['user disabled', { disabled: true }]] as const) {
			await h.node.sql`update users set role = 'sales', disabled = false where id = ${h.userId.sales}`;
			const cookie = await signInCookie(h.node.url, 'sales@sec.test', PASSWORD);
			const s = client({ cookie });
			expect(await outcome(s)).toBe('connected');
			const gone = disconnection(s);
			const res = await fetch(`${h.node.url}/api/admin/users/${h.userId.sales}`, {
				method: 'PATCH',
				headers: { cookie: h.cookie.admin, origin: h.node.url, 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
			expect(res.status).toBe(200);
			const t0 = Date.now();
			const reason = await gone;
			table.record({ channel: 'Socket.IO', attack: change, target: 'open socket', expected: 'io server disconnect', got: `${reason} after ${Date.now() - t0} ms` });
			expect(reason).toBe('io server disconnect');
		}
		await vi.waitFor(async () => expect((await fetch(`${h.node.url}/healthz`)).ok, 'healthz').toBe(true), { timeout: 10_000 });
	});
});
