// Slow and greedy clients: an export whose reader goes away gives its database connection back at
// once; a replay far behind is answered `truncated` instead of streamed; one replay per socket at a time.
import { request } from 'node:http';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClientToServerEvents, PositionMessage, ReplayAnswer, ServerToClientEvents } from '../../src/lib/contract/socket-events.ts';
import { REPLAY_LIMIT } from '../../server/realtime/outbox.relay.ts';
import { userCookie } from '../support/api.ts';
import { startTestNode, type TestNode } from '../support/node.ts';

let node: TestNode;
let cookie: string;

beforeAll(async () => {
	node = await startTestNode('slowclients');
	cookie = await userCookie(node, 'ops@slow.test', 'ops');
});
afterAll(async () => {
	await node?.stop();
});

/** Backends of the node's pool still running the positions export (a held cursor shows here). */
async function exportBackends(): Promise<number> {
	const [r] = await node.services_.sql<{ n: number }[]>`
		select count(*)::int as n from pg_stat_activity
		where datname = current_database() and state <> 'idle' and query like '%from positions p left join skus k%' and pid <> pg_backend_pid()`;
	return r.n;
}

describe('export', () => {
	it('releases its cursor as soon as the client disconnects mid-export', async () => {
		// Enough rows that the export cannot fit in socket buffers: the server must wait for the reader.
		await node.services_.sql`
			insert into positions (sku, site, on_hand) select 'X' || g, 'XS', g from generate_series(1, 200000) g`;
		const req = request(`${node.url}/api/export/positions.csv`, { headers: { cookie } });
		const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
			req.once('response', resolve);
			req.once('error', reject);
			req.end();
		});
		expect(res.statusCode).toBe(200);
		res.pause(); // a reader that stopped reading: the cursor stays open while the server waits for it
		await vi.waitFor(async () => expect(await exportBackends()).toBe(1), { timeout: 10_000, interval: 100 });
		res.destroy();
		req.destroy();
		await vi.waitFor(async () => expect(await exportBackends()).toBe(0), { timeout: 3000, interval: 100 });
	});
});

function socket(): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
	const s: Socket<ServerToClientEvents, ClientToServerEvents> = connectSocket(node.url, {
		path: '/socket.io',
		transports: ['websocket'],
		extraHeaders: { cookie },
		reconnection: false,
		forceNew: true
	});
	return new Promise((resolve, reject) => {
		s.once('connect', () => resolve(s));
		s.once('connect_error', reject);
	});
}

const replay = (s: Socket<ServerToClientEvents, ClientToServerEvents>, sinceSeq: number) =>
	new Promise<ReplayAnswer | { error: string }>((resolve) => s.emit('replay', { sinceSeq }, resolve));

describe('replay', () => {
	it(`answers truncated, sending nothing, when more than ${REPLAY_LIMIT} rows follow; replays a short gap in full`, async () => {
		const [{ before }] = await node.services_.sql<{ before: number }[]>`select coalesce(max(seq), 0)::int as before from outbox`;
		await node.services_.sql`
			insert into outbox (seq, topic, site, payload)
			select nextval('outbox_seq'), 'position', 'RX',
				jsonb_build_object('sku', 'R', 'site', 'RX', 'onHand', g, 'allocated', 0, 'inbound', 0, 'available', g)
			from generate_series(1, ${REPLAY_LIMIT + 1}) g`;
		const s = await socket();
		const got: PositionMessage[] = [];
		s.on('position', (m) => got.push(m));
		const far = await replay(s, before);
		expect(far).toMatchObject({ truncated: true });
		expect(got).toEqual([]);
		const [{ last }] = await node.services_.sql<{ last: number }[]>`select max(seq)::int as last from outbox`;
		const near = await replay(s, last - 10);
		expect(near).toEqual({ upTo: last });
		expect(got.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => last - 9 + i));
		s.disconnect();
	});

	it('runs one replay at a time per socket', async () => {
		const s = await socket();
		const [first, second] = await Promise.all([replay(s, 0), replay(s, 0)]);
		expect(first).toMatchObject({ truncated: true });
		expect(second).toEqual({ error: 'a replay is already running on this socket' });
		// Once the first is answered, the socket may replay again.
		expect(await replay(s, 0)).toMatchObject({ truncated: true });
		s.disconnect();
	});
});
