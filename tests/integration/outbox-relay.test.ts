// The relay's short paths keep seq order and lose nothing: rows it stamps itself are emitted without a
// read, rows another stamper announces in its NOTIFY are emitted from the note, and a backlog larger
// than one stamping batch is drained in order. Real node, Postgres, socket.io-client.
import { waitForValue } from '../support/wait.ts';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, PositionMessage, ServerToClientEvents } from '../../src/lib/contract/socket-events.ts';
import { OUTBOX_CHANNEL } from '../../server/repositories/outbox.repository.ts';
import { startTestNode, type TestNode } from '../support/node.ts';

let node: TestNode;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const got: PositionMessage[] = [];

beforeAll(async () => {
	node = await startTestNode('outboxrelay');
	const { token } = await node.services.auth.createToken('relay wall', 'display', null);
	socket = connectSocket(node.url, { path: '/socket.io', transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
	socket.on('position', (m) => got.push(m));
	await new Promise<void>((resolve, reject) => {
		socket.on('connect', resolve);
		socket.on('connect_error', reject);
	});
});
afterAll(async () => {
	socket?.disconnect();
	await node?.stop();
});

async function appendRows(prefix: string, n: number): Promise<void> {
	await node.services_.sql`
		insert into outbox (topic, site, payload)
		select 'position', 'R', jsonb_build_object('sku', ${prefix} || g, 'site', 'R', 'onHand', g, 'allocated', 0, 'inbound', 0, 'available', g)
		from generate_series(1, ${n}) g
	`;
}

const inOrder = (ms: PositionMessage[]) => ms.every((m, i) => i === 0 || m.seq === ms[i - 1].seq + 1);

describe('outbox relay', () => {
	it('drains a backlog of several stamping batches in seq order, every row once', async () => {
		await appendRows('BIG-', 2500);
		await node.services_.sql`select pg_notify(${OUTBOX_CHANNEL}, 'new')`;
		await waitForValue(async () => got.filter((m) => m.sku.startsWith('BIG-')).length >= 2500, 20_000);
		const big = got.filter((m) => m.sku.startsWith('BIG-'));
		expect(big).toHaveLength(2500);
		expect(inOrder(big)).toBe(true);
	});

	it('emits rows another stamper announced, from its note, in order after what came before', async () => {
		await appendRows('NOTE-', 20);
		// Stamped by someone else (another node, the webhook dispatcher): this node learns of them by NOTIFY.
		const stamped = await node.repos.outbox.sequence();
		expect(stamped.map((r) => r.payload.sku)).toEqual(Array.from({ length: 20 }, (_, i) => `NOTE-${i + 1}`));
		await waitForValue(async () => got.filter((m) => m.sku.startsWith('NOTE-')).length >= 20);
		expect(got.filter((m) => m.sku.startsWith('NOTE-')).map((m) => m.seq)).toEqual(stamped.map((r) => r.seq));
		expect(inOrder(got)).toBe(true);
	});
});
