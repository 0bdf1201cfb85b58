import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { putCard } from '../../src/lib/contract/board/board-doc.ts';
import type { ClientToServerEvents, PositionMessage, ServerToClientEvents } from '../../src/lib/contract/socket-events.ts';
import { postEvents, startTestNode, type TestNode } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';

let node: TestNode;
let opsCookie: string;

async function signInCookie(email: string, password: string): Promise<string> {
	const res = await fetch(`${node.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: node.url },
		body: JSON.stringify({ email, password })
	});
	expect(res.status).toBe(200);
	return res.headers.getSetCookie()[0].split(';')[0];
}

function socketWith(cookie?: string, auth?: { token: string }): Socket<ServerToClientEvents, ClientToServerEvents> {
	return connectSocket(node.url, {
		path: '/socket.io',
		transports: ['websocket'],
		extraHeaders: cookie ? { cookie } : {},
		auth,
		reconnection: false,
		forceNew: true
	});
}

beforeAll(async () => {
	node = await startTestNode('realtime');
	const hash = await node.services.auth.hashPassword('secret-pw');
	await node.repos.users.upsert({ email: 'ops@rt.local', name: 'Ops', role: 'ops', passwordHash: hash });
	opsCookie = await signInCookie('ops@rt.local', 'secret-pw');
});
afterAll(async () => {
	await node?.stop();
});

describe('Socket.IO position feed', () => {
	it('emits position with increasing seq and replays what a client missed, in order', async () => {
		const socket = socketWith(opsCookie);
		const got: PositionMessage[] = [];
		socket.on('position', (m) => got.push(m));
		await new Promise<void>((resolve, reject) => {
			socket.on('connect', resolve);
			socket.on('connect_error', reject);
		});
		await postEvents(node, { id: 'rt-1', type: 'receipt', sku: 'RT', site: 'A', qty: 7, at: '2026-11-01T08:00:00Z' });
		await waitForValue(async () => got.find((m) => m.sku === 'RT' && m.onHand === 7));
		await postEvents(node, { id: 'rt-2', type: 'shipment', sku: 'RT', site: 'A', qty: 2, at: '2026-11-01T09:00:00Z' });
		await waitForValue(async () => got.find((m) => m.sku === 'RT' && m.onHand === 5));
		const seqs = got.map((m) => m.seq);
		expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
		expect(new Set(seqs).size).toBe(seqs.length);

		// A second client that was away asks for everything after seq 0.
		const late = socketWith(opsCookie);
		const replayed: PositionMessage[] = [];
		late.on('position', (m) => replayed.push(m));
		await new Promise<void>((resolve) => late.on('connect', resolve));
		const answer = await late.emitWithAck('replay', { sinceSeq: 0 });
		expect(answer).toEqual({ upTo: seqs[seqs.length - 1] });
		expect(replayed.map((m) => [m.seq, m.onHand])).toEqual(got.map((m) => [m.seq, m.onHand]));

		const bad = await late.emitWithAck('replay', { sinceSeq: -1 } as never);
		expect(bad).toEqual({ error: expect.stringContaining('sinceSeq') });
		socket.disconnect();
		late.disconnect();
	});

	it('refuses a socket without a session or with a forged cookie', async () => {
		for (const cookie of [undefined, 'pb_session=forged.value']) {
			const s = socketWith(cookie);
			const err = await new Promise<Error>((resolve) => s.on('connect_error', resolve));
			expect(err.message).toBe('unauthorised');
			s.close();
		}
	});
});

describe('Yjs endpoint', () => {
	class CookieWebSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie: opsCookie } });
		}
	}

	it('syncs two official WebsocketProviders through the node', async () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const opts = { WebSocketPolyfill: CookieWebSocket as never, disableBc: true };
		const pa = new WebsocketProvider(node.url.replace('http', 'ws') + '/yjs', 'main', a, opts);
		const pb = new WebsocketProvider(node.url.replace('http', 'ws') + '/yjs', 'main', b, opts);
		try {
			await waitForValue(async () => pa.synced && pb.synced);
			a.transact(() => putCard(a, 'c-1', { customer: 'Acme', sku: 'RT-1', qty: 1, requestedDate: '2027-01-10' }));
			await waitForValue(async () => (b.getMap('commitments').get('c-1') as Y.Map<string> | undefined)?.get('customer') === 'Acme');
		} finally {
			pa.destroy();
			pb.destroy();
		}
	});
});
