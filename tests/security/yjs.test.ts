// The board channel (/yjs/<board>): refused upgrades close with a named code before any document is
// loaded, read-only principals change nothing, hostile frames close only their sender, and a revoked
// session or token is cut off while connected.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { CLOSE_CODES, MESSAGE_AUTH } from '../../server/realtime/yjs/yjs.protocol.ts';
import { boardClient, frame, yjsPeer, type YjsAuth, type YjsPeer } from '../support/yjs.ts';
import { caseTable, EVIL_ORIGIN, expectHealthy, signInCookie, snapshot, startHarness, type Harness } from './harness.ts';

let h: Harness;
const table = caseTable();
beforeAll(async () => {
	h = await startHarness('sec-yjs');
});
afterAll(async () => {
	table.print('Yjs WebSocket attacks');
	await h?.node.stop();
});

type PeerOptions = YjsAuth & { board?: string };
// Without an Origin unless a case sets one: the upgrade must hold against clients that are not browsers.
const peer = (opts: PeerOptions = {}): YjsPeer => yjsPeer(h.node.url, opts.board ?? 'main', { ...opts, origin: opts.origin ?? null });

/** A y-websocket sync update that adds commitment `id` (what a stock client would send on an edit). */
function commitmentUpdate(id: string): Uint8Array {
	const doc = new Y.Doc();
	const c = new Y.Map<unknown>();
	doc.getMap('commitments').set(id, c);
	c.set('customer', 'Mallory');
	c.set('qty', 1_000_000);
	return frame(0, 2, Y.encodeStateAsUpdate(doc));
}

/** The commitment ids a stock WebsocketProvider signed in with `cookie` sees once synced. */
async function commitmentsSeenBy(cookie: string): Promise<string[]> {
	const client = boardClient(h.node.url, 'main', { cookie, origin: null });
	try {
		await client.synced;
		return [...client.commitments.keys()];
	} finally {
		client.destroy();
	}
}

const boardRows = async () => (await h.node.sql<{ n: number }[]>`select count(*)::int as n from board_updates`)[0].n;

type UpgradeCase = [attack: string, opts: (h: Harness) => Parameters<typeof peer>[0], expected: number];
const upgrades: UpgradeCase[] = [
	['no credentials', () => ({}), CLOSE_CODES.unauthorised],
	['forged cookie', (h) => ({ cookie: h.bad.forged }), CLOSE_CODES.unauthorised],
	['cookie signed with another secret', (h) => ({ cookie: h.bad.wrongSecret }), CLOSE_CODES.unauthorised],
	['expired session cookie', (h) => ({ cookie: h.bad.expired }), CLOSE_CODES.unauthorised],
	['signed-out session cookie', (h) => ({ cookie: h.bad.signedOut }), CLOSE_CODES.unauthorised],
	['oversized cookie', (h) => ({ cookie: h.bad.oversized }), CLOSE_CODES.unauthorised],
	['revoked display token', (h) => ({ token: h.tokens.revokedDisplay }), CLOSE_CODES.unauthorised],
	['garbage token', () => ({ token: randomBytes(300).toString('hex') }), CLOSE_CODES.unauthorised],
	['wrong scope: ingest token opens a board', (h) => ({ token: h.tokens.ingest }), CLOSE_CODES.unauthorised],
	['cross-origin page with the ops cookie', (h) => ({ cookie: h.cookie.ops, origin: EVIL_ORIGIN }), CLOSE_CODES.unauthorised]
];

describe('Yjs upgrade', () => {
	it.each(upgrades.map(([attack, opts, expected]) => ({ name: `${attack} → close ${expected}`, attack, opts, expected })))(
		'$name',
		async ({ attack, opts, expected }) => {
			const p = peer(opts(h));
			const { code, reason } = await p.closed;
			table.record({ channel: 'Yjs', attack, target: 'upgrade /yjs/main', expected: String(expected), got: `${code} ${reason}` });
			expect(code).toBe(expected);
			// Refused before the board was loaded: not one byte of it was sent.
			expect(p.frames).toEqual([]);
			await expectHealthy(h.node);
		}
	);

	it('answers a bad board path with 404 and random bytes on the upgrade with 400', async () => {
		const bad = await new Promise<string>((resolve) => {
			const ws = new WebSocket(`${h.node.url.replace('http', 'ws')}/yjs/..%2F..%2Fetc?token=x`);
			ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
			ws.on('error', (err) => resolve(err.message));
		});
		table.record({ channel: 'Yjs', attack: 'path traversal in board id', target: 'upgrade /yjs/..%2F..', expected: '404', got: bad });
		expect(bad).toBe('404');
	});
});

describe('Yjs read-only principals', () => {
	it.each([
		['wrong role: viewer edits the board', (h: Harness) => ({ cookie: h.cookie.viewer })],
		['wrong scope: display token edits the board', (h: Harness) => ({ token: h.tokens.display })]
	])('%s → permission denied, nothing stored', async (attack, opts) => {
		const before = await snapshot(h.node);
		const p = peer(opts(h));
		await p.answered;
		p.ws.send(commitmentUpdate(`evil-${attack.length}`));
		// The refusal is the server's answer to this very update: once it is here, the update was judged.
		const denied = await vi
			.waitFor(() => p.frames.find((f) => f[0] === MESSAGE_AUTH) ?? Promise.reject(new Error('no permission-denied frame yet')), { timeout: 5000 })
			.catch(() => undefined);
		table.record({ channel: 'Yjs', attack, target: 'sync update', expected: 'permission denied', got: denied ? 'permission denied' : 'accepted!' });
		expect(denied).toBeDefined();
		expect(await snapshot(h.node)).toEqual(before);
		// A stock y-websocket client of someone who may read sees no trace of it either.
		expect(await commitmentsSeenBy(h.cookie.ops)).toEqual([]);
		p.ws.close();
		expect(await boardRows()).toBe(0);
	});
});

describe('Yjs hostile frames', () => {
	const big = (n: number) => new Uint8Array(n).fill(1);
	const cases: [string, string | Uint8Array, number][] = [
		['oversized message (1.5 MiB)', big(1.5 * 1024 * 1024), CLOSE_CODES.messageTooLarge],
		['oversized message (3 MiB, past the transport cap)', big(3 * 1024 * 1024), CLOSE_CODES.transportTooLarge],
		['random bytes', Uint8Array.from([0x2a, ...randomBytes(1024)]), CLOSE_CODES.malformed],
		['random bytes in a sync frame', Uint8Array.from([0, 2, 0xff, 0xff, 0xff, 0x7f, ...randomBytes(64)]), CLOSE_CODES.malformed],
		['truncated sync step 1', frame(0, 0).subarray(0, 2), CLOSE_CODES.malformed],
		['a text frame', '{"hello":"world"}', CLOSE_CODES.malformed]
	];
	it.each(cases.map(([attack, data, expected]) => ({ name: `${attack} → close ${expected}`, attack, data, expected })))(
		'$name',
		async ({ attack, data, expected }) => {
			const before = await snapshot(h.node);
			const p = peer({ cookie: h.cookie.ops });
			await p.answered;
			p.ws.send(data);
			const { code, reason } = await p.closed;
			table.record({ channel: 'Yjs', attack, target: 'open /yjs/main (ops)', expected: String(expected), got: `${code} ${reason}` });
			expect(code).toBe(expected);
			expect(await snapshot(h.node)).toEqual(before);
			await expectHealthy(h.node);
		}
	);

	it('closes random bytes sent before the board has answered, unauthenticated', async () => {
		const p = peer();
		p.ws.on('open', () => p.ws.send(randomBytes(256)));
		const { code } = await p.closed;
		table.record({ channel: 'Yjs', attack: 'random bytes, no credentials', target: 'upgrade /yjs/main', expected: String(CLOSE_CODES.unauthorised), got: String(code) });
		expect(code).toBe(CLOSE_CODES.unauthorised);
	});
});

describe('Yjs revocation of open connections', () => {
	it.each([
		['session signed out while open', 'signout'],
		['role changed while open', 'role'],
		['display token revoked while open', 'token']
	] as const)('%s → close 4401 within seconds', async (attack, how) => {
		await h.node.sql`update users set role = 'sales', disabled = false where id = ${h.userId.sales}`;
		const cookie = await signInCookie(h.node.url, 'sales@sec.test');
		const created = await h.node.services.auth.createToken('wall', 'display', null);
		const p = peer(how === 'token' ? { token: created.token } : { cookie });
		await p.answered;
		const headers = { origin: h.node.url, 'content-type': 'application/json' };
		if (how === 'signout') await fetch(`${h.node.url}/api/session`, { method: 'DELETE', headers: { ...headers, cookie } });
		if (how === 'role') {
			const res = await fetch(`${h.node.url}/api/admin/users/${h.userId.sales}`, { method: 'PATCH', headers: { ...headers, cookie: h.cookie.admin }, body: '{"role":"viewer"}' });
			expect(res.status).toBe(200);
		}
		if (how === 'token') await fetch(`${h.node.url}/api/admin/tokens/${created.id}`, { method: 'DELETE', headers: { ...headers, cookie: h.cookie.admin } });
		const t0 = Date.now();
		const { code, reason } = await p.closed;
		table.record({ channel: 'Yjs', attack, target: 'open /yjs/main', expected: '4401', got: `${code} ${reason} after ${Date.now() - t0} ms` });
		expect(code).toBe(CLOSE_CODES.unauthorised);
	});
});
