// A tab subscribes to what it shows: positions of the sites and SKUs on screen, alerts of some sites.
// Real node, real Postgres/Redis, socket.io-client as the tab.
import { waitForValue } from '../support/wait.ts';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, PositionMessage, ServerToClientEvents } from '../../src/lib/contract/socket-events.ts';
import { SUBSCRIBE_MAX_SKUS } from '../../src/lib/contract/socket-events.ts';
import { postEvents, startTestNode, type TestNode } from '../support/node.ts';

let node: TestNode;
let opsCookie: string;
let siteACookie: string;
type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

async function signIn(email: string): Promise<string> {
	const res = await fetch(`${node.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: node.url },
		body: JSON.stringify({ email, password: 'secret-pw' })
	});
	expect(res.status).toBe(200);
	return res.headers.getSetCookie()[0].split(';')[0];
}

async function connected(cookie: string): Promise<{ socket: Client; positions: PositionMessage[] }> {
	const socket: Client = connectSocket(node.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
	const positions: PositionMessage[] = [];
	socket.on('position', (m) => positions.push(m));
	await new Promise<void>((resolve, reject) => {
		socket.on('connect', resolve);
		socket.on('connect_error', reject);
	});
	return { socket, positions };
}

const at = '2026-11-01T08:00:00Z';

beforeAll(async () => {
	node = await startTestNode('subscriptions');
	const hash = await node.services.auth.hashPassword('secret-pw');
	await node.repos.users.upsert({ email: 'ops@sub.local', name: 'Ops', role: 'ops', passwordHash: hash });
	const limited = await node.repos.users.upsert({ email: 'a-only@sub.local', name: 'Site A', role: 'ops', passwordHash: hash });
	await node.services_.sql`insert into sites (code, name) values ('A', 'A'), ('B', 'B') on conflict do nothing`;
	await node.services_.sql.begin((tx) => node.repos.users.setSites(tx, limited, ['A']));
	opsCookie = await signIn('ops@sub.local');
	siteACookie = await signIn('a-only@sub.local');
});
afterAll(async () => {
	await node?.stop();
});

describe('subscribe with positions and alerts narrowed', () => {
	it('delivers the positions of site A / SKU X and none of other SKUs or sites', async () => {
		const narrow = await connected(opsCookie);
		const wide = await connected(opsCookie);
		const ack = await narrow.socket.emitWithAck('subscribe', { topics: ['position', 'alert'], positions: { sites: ['A'], skus: ['SUB-X'] } });
		expect(ack).toEqual({ topics: ['position', 'alert'], positions: { sites: ['A'], skus: ['SUB-X'] } });

		await postEvents(node, [
			{ id: 'sub-1', type: 'receipt', sku: 'SUB-Y', site: 'A', qty: 3, at },
			{ id: 'sub-2', type: 'receipt', sku: 'SUB-X', site: 'B', qty: 4, at },
			{ id: 'sub-3', type: 'receipt', sku: 'SUB-X', site: 'A', qty: 5, at }
		]);
		// Once the unfiltered socket has all three, one more X@A event is sequenced after them; a socket
		// receives in seq order, so when the narrow one has it, it has had its chance at every other row.
		await waitForValue(async () => wide.positions.filter((m) => m.sku.startsWith('SUB-')).length >= 3);
		await postEvents(node, { id: 'sub-3b', type: 'receipt', sku: 'SUB-X', site: 'A', qty: 1, at });
		await waitForValue(async () => narrow.positions.find((m) => m.onHand === 6));
		expect(narrow.positions.map((m) => [m.sku, m.site, m.onHand])).toEqual([['SUB-X', 'A', 5], ['SUB-X', 'A', 6]]);

		// A replay honours the same narrowing.
		const replayed: PositionMessage[] = [];
		const late = await connected(opsCookie);
		late.socket.on('position', (m) => replayed.push(m));
		await late.socket.emitWithAck('subscribe', { topics: ['position'], positions: { skus: ['SUB-Y'] } });
		const answer = await late.socket.emitWithAck('replay', { sinceSeq: 0 });
		expect(answer).toEqual({ upTo: expect.any(Number) });
		expect(replayed.filter((m) => m.sku.startsWith('SUB-')).map((m) => [m.sku, m.site])).toEqual([['SUB-Y', 'A']]);
		for (const c of [narrow, wide, late]) c.socket.disconnect();
	});

	it('delivers the alerts of the named sites only', async () => {
		await node.services_.sql`insert into skus (code, name, lead_time_days) values ('SUB-AL', 'Alerting', 10) on conflict do nothing`;
		const narrow = await connected(opsCookie);
		const wide = await connected(opsCookie);
		const alerts: { site: string | null; seq: number }[] = [];
		const all: { site: string | null; seq: number }[] = [];
		narrow.socket.on('alert', (m) => alerts.push(m));
		wide.socket.on('alert', (m) => all.push(m));
		expect(await narrow.socket.emitWithAck('subscribe', { topics: ['alert'], alerts: { sites: ['A'] } })).toEqual({ topics: ['alert'], alerts: { sites: ['A'] } });
		// A shipment from nothing on a SKU with a lead time projects a stockout: an alert at that site.
		await postEvents(node, { id: 'sub-al-b', type: 'shipment', sku: 'SUB-AL', site: 'B', qty: 5, at });
		await waitForValue(async () => all.find((m) => m.site === 'B'));
		await postEvents(node, { id: 'sub-al-a', type: 'shipment', sku: 'SUB-AL', site: 'A', qty: 5, at });
		await waitForValue(async () => alerts.find((m) => m.site === 'A'));
		expect(alerts.filter((m) => m.site !== 'A')).toEqual([]);
		narrow.socket.disconnect();
		wide.socket.disconnect();
	});

	it('refuses sites outside the user, payloads over the caps, and unknown keys; a refused subscribe changes nothing', async () => {
		const c = await connected(siteACookie);
		expect(await c.socket.emitWithAck('subscribe', { topics: ['position'], positions: { sites: ['B'] } })).toEqual({ error: expect.stringContaining('B') });
		const tooMany = Array.from({ length: SUBSCRIBE_MAX_SKUS + 1 }, (_, i) => `S${i}`);
		expect(await c.socket.emitWithAck('subscribe', { topics: ['position'], positions: { skus: tooMany } })).toEqual({ error: expect.stringContaining(String(SUBSCRIBE_MAX_SKUS)) });
		expect(await c.socket.emitWithAck('subscribe', { topics: ['position'], positions: { rooms: ['x'] } } as never)).toEqual({ error: expect.stringContaining('subscribe expects') });

		// Still subscribed to everything it may see: site A positions arrive, site B ones never do.
		const wide = await connected(opsCookie);
		await postEvents(node, [
			{ id: 'sub-4', type: 'receipt', sku: 'SUB-Z', site: 'B', qty: 1, at },
			{ id: 'sub-5', type: 'receipt', sku: 'SUB-Z', site: 'A', qty: 2, at }
		]);
		await waitForValue(async () => wide.positions.filter((m) => m.sku === 'SUB-Z').length >= 2);
		await postEvents(node, { id: 'sub-5b', type: 'receipt', sku: 'SUB-V', site: 'A', qty: 1, at });
		await waitForValue(async () => c.positions.find((m) => m.sku === 'SUB-V'));
		expect(c.positions.map((m) => [m.sku, m.site]), JSON.stringify(c.positions)).toEqual([['SUB-Z', 'A'], ['SUB-V', 'A']]);

		// An allowed narrowing to site A and SKU SUB-Z for the limited user.
		expect(await c.socket.emitWithAck('subscribe', { topics: ['position'], positions: { skus: ['SUB-Z'] } })).toEqual({ topics: ['position'], positions: { sites: null, skus: ['SUB-Z'] } });
		c.positions.length = 0;
		await postEvents(node, [
			{ id: 'sub-6', type: 'receipt', sku: 'SUB-Z', site: 'B', qty: 1, at },
			{ id: 'sub-7', type: 'receipt', sku: 'SUB-W', site: 'A', qty: 1, at },
			{ id: 'sub-8', type: 'receipt', sku: 'SUB-Z', site: 'A', qty: 1, at }
		]);
		await waitForValue(async () => wide.positions.filter((m) => m.sku === 'SUB-Z' || m.sku === 'SUB-W').length >= 5);
		await postEvents(node, { id: 'sub-9', type: 'receipt', sku: 'SUB-Z', site: 'A', qty: 1, at });
		await waitForValue(async () => c.positions.find((m) => m.sku === 'SUB-Z' && m.onHand === 4));
		expect(c.positions.map((m) => [m.sku, m.site, m.onHand]), JSON.stringify(c.positions)).toEqual([['SUB-Z', 'A', 3], ['SUB-Z', 'A', 4]]);
		c.socket.disconnect();
		wide.socket.disconnect();
	});
});
