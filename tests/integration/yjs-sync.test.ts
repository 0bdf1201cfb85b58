import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Principal } from '../../server/auth/principal.ts';
import { createLogger } from '../../server/logger.ts';
import { isConnectionOrigin } from '../../server/realtime/yjs/board-documents.types.ts';
import { foldUpdates } from '../../server/realtime/yjs/board-documents.saver.ts';
import { createYjsServer, type YjsServerOptions } from '../../server/realtime/yjs/yjs.transport.ts';
import { CLOSE_CODES } from '../../server/realtime/yjs/yjs.protocol.ts';
import { createBoardDocumentsRepository, type BoardDocumentStore } from '../../server/repositories/board-documents.repository.ts';
import { createTestServices, type TestServices } from '../support/services.ts';
import { waitUntil } from '../support/wait.ts';
import { boardClient } from '../support/yjs.ts';

const log = createLogger('silent');
let services: TestServices;
const loaded: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

async function authorise(req: IncomingMessage): Promise<Principal | null> {
	const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
	const user = { kind: 'user', userId: 'u1', sessionId: 's1', email: 'e@x', name: 'E', sites: null } as const;
	if (token === 'good-writer') return { ...user, role: 'ops' };
	if (token === 'good-viewer') return { ...user, role: 'viewer' };
	return null;
}

function trackingStore(): BoardDocumentStore {
	const repo = createBoardDocumentsRepository(services.sql);
	return { ...repo, load: (boardId) => (loaded.push(boardId), repo.load(boardId)) };
}

async function startServer(overrides: Partial<YjsServerOptions> = {}) {
	const http = createServer();
	const yjs = createYjsServer({ log, authorise, store: trackingStore(), unloadGraceMs: 150, flushDelayMs: 20, ...overrides });
	http.on('upgrade', (req, socket, head) => yjs.handleUpgrade(req, socket, head));
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/yjs`;
	const stop = async () => {
		await yjs.close();
		await new Promise((resolve) => http.close(resolve));
	};
	cleanups.push(stop);
	return { url, yjs, stop };
}

function connect(url: string, board: string, token: string) {
	const client = boardClient(url, board, { token, origin: null });
	cleanups.push(() => client.destroy());
	return client;
}

function addCommitment(doc: Y.Doc, id: string, fields: Record<string, unknown>): void {
	doc.transact(() => {
		const card = new Y.Map<unknown>();
		doc.getMap('commitments').set(id, card);
		for (const [k, v] of Object.entries(fields)) card.set(k, v);
	});
}

async function storedJson(board: string) {
	const stored = await createBoardDocumentsRepository(services.sql).load(board);
	const doc = new Y.Doc();
	Y.applyUpdate(doc, foldUpdates(stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates));
	return doc.getMap('commitments').toJSON();
}

beforeAll(async () => {
	services = await createTestServices('yjs-sync');
});

afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
	await services.teardown();
});

describe('yjs sync server with the stock y-websocket provider', () => {
	it('converges two providers, serves a late joiner, and reloads the same state in a new server', async () => {
		const first = await startServer();
		const a = connect(first.url, 'main', 'good-writer');
		const b = connect(first.url, 'main', 'good-writer');
		await Promise.all([a.synced, b.synced]);

		addCommitment(a.doc, 'c1', { customer: 'Acme', sku: 'SKU-1', qty: 40, promisedDate: null });
		addCommitment(b.doc, 'c2', { customer: 'Bolt', sku: 'SKU-2', qty: 5, promisedDate: null });
		a.commitments.get('c1')?.set('qty', 41);
		b.doc.transact(() => b.commitments.get('c2')?.set('status', 'requested'));
		await waitUntil(() => a.commitments.size === 2 && b.commitments.get('c1')?.get('qty') === 41, 'convergence');
		await waitUntil(() => isDeepStrictEqual(a.commitments.toJSON(), b.commitments.toJSON()), 'equal maps');

		const late = connect(first.url, 'main', 'good-writer');
		await late.synced;
		expect(late.commitments.toJSON()).toEqual(a.commitments.toJSON());

		const expected = a.commitments.toJSON();
		const expectedVector = Y.encodeStateVector(a.doc);
		for (const p of [a, b, late]) p.provider.destroy();
		await waitUntil(() => !first.yjs.documents.isLoaded('main'), 'unload after the grace period');
		const [{ count }] = await services.sql<{ count: number }[]>`select count(*)::int as count from board_snapshots where board_id = 'main'`;
		expect(count).toBe(1); // unload compacted the board
		expect(await services.sql`select 1 from board_updates where board_id = 'main'`).toHaveLength(0);
		await first.stop();

		const second = await startServer();
		const again = connect(second.url, 'main', 'good-writer');
		await again.synced;
		expect(again.commitments.toJSON()).toEqual(expected);
		expect(Y.encodeStateVector(again.doc)).toEqual(expectedVector);
		again.provider.destroy();
	});

	it('refuses a bad token with 4401 and never loads the board', async () => {
		const { url, yjs } = await startServer();
		for (const token of ['nope', '']) {
			const bad = connect(url, 'secret', token);
			const closed = await new Promise<{ code: number }>((resolve) => bad.provider.on('closed', resolve));
			expect(closed.code).toBe(CLOSE_CODES.unauthorised);
			expect(bad.provider.shouldConnect).toBe(false);
		}
		expect(loaded).not.toContain('secret');
		expect(yjs.documents.isLoaded('secret')).toBe(false);
	});

	it('keeps a viewer in sync but drops its edits (not broadcast, not stored) and tells it why', async () => {
		const { url, yjs } = await startServer();
		const writer = connect(url, 'ro', 'good-writer');
		await writer.synced;
		addCommitment(writer.doc, 'w1', { customer: 'Acme', qty: 1 });
		writer.commitments.delete('w1');
		addCommitment(writer.doc, 'w2', { customer: 'Acme', qty: 2 });
		const viewer = connect(url, 'ro', 'good-viewer');
		await viewer.synced;
		expect(viewer.commitments.toJSON()).toEqual(writer.commitments.toJSON());

		addCommitment(viewer.doc, 'v1', { customer: 'Mallory', qty: 999 });
		await waitUntil(() => viewer.denials.some((r) => r.includes('read-only')), 'permission-denied message');
		// That refusal answers a frame sent after the viewer's sync step 2, which carried only what the
		// server has: it drew no refusal of its own.
		expect(viewer.denials).toHaveLength(1);
		addCommitment(writer.doc, 'w3', { customer: 'Acme', qty: 3 });
		await waitUntil(() => viewer.commitments.has('w3'), 'viewer still receives edits');
		expect(writer.commitments.has('v1')).toBe(false);
		expect(viewer.provider.wsconnected).toBe(true);
		await yjs.documents.flush('ro');
		const stored = await storedJson('ro');
		expect(Object.keys(stored).sort()).toEqual(['w2', 'w3']);
	});

	it('removes the awareness state of a provider that disconnects', async () => {
		const { url } = await startServer();
		const a = connect(url, 'presence', 'good-writer');
		const b = connect(url, 'presence', 'good-writer');
		await Promise.all([a.synced, b.synced]);
		a.provider.awareness.setLocalStateField('user', { name: 'Ann' });
		await waitUntil(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user !== undefined, 'awareness');
		// Simulate a crashed tab: the socket dies without the provider announcing its departure.
		(a.provider.ws as unknown as WebSocket).terminate();
		a.provider.shouldConnect = false;
		await waitUntil(() => !b.provider.awareness.getStates().has(a.doc.clientID), 'awareness removal');
	});

	it('converges twenty providers editing one board', async () => {
		const { url, yjs } = await startServer();
		const clients = Array.from({ length: 20 }, () => connect(url, 'crowd', 'good-writer'));
		await Promise.all(clients.map((c) => c.synced));
		clients.forEach((c, i) => {
			addCommitment(c.doc, `c${i}`, { customer: `Customer ${i}`, qty: i });
			c.doc.getText('log').insert(0, `${i};`);
			c.doc.getMap('meta').set('last', i);
		});
		const done = () => clients.every((c) => c.commitments.size === 20 && c.doc.getText('log').length === clients.reduce((n, _, i) => n + `${i};`.length, 0));
		await waitUntil(done, 'twenty-way convergence', 10_000);
		const reference = clients[0].doc.toJSON();
		for (const c of clients) expect(c.doc.toJSON()).toEqual(reference);
		await yjs.documents.flush('crowd');
		expect(Object.keys(await storedJson('crowd'))).toHaveLength(20);
		for (const c of clients) c.provider.destroy();
	});

	it('lets server code judge updates before they apply, observe changes and write through the hooks', async () => {
		const { url, yjs } = await startServer();
		const judged: string[] = [];
		yjs.documents.useGate({
			defineRoots: (doc) => void doc.getMap('commitments'),
			prepare: async () => ({ refusals: [], scope: null, clients: [] }),
			judge: ({ staging, transaction }) => {
				// The staged replica already shows the update's result; the live document does not yet.
				const vetoed = staging.getMap('commitments').has('vetoed');
				judged.push(vetoed ? 'vetoed' : 'fine');
				const computed = staging.getMap('computed');
				const writesComputed = !!transaction && [...transaction.changed.keys()].some((t) => (t as unknown) === computed);
				return vetoed ? ['vetoed by policy'] : writesComputed ? ['computed is written by the server'] : [];
			}
		});
		const seen: string[] = [];
		yjs.documents.onChange(({ boardId, origin }) => {
			if (boardId === 'hooks') seen.push(isConnectionOrigin(origin) ? `client:${origin.principal.kind}` : `server:${(origin as { reason: string }).reason}`);
		});
		const a = connect(url, 'hooks', 'good-writer');
		const b = connect(url, 'hooks', 'good-writer');
		await Promise.all([a.synced, b.synced]);

		const vetoed = connect(url, 'hooks', 'good-writer');
		await vetoed.synced;
		const closed = new Promise<{ code: number }>((resolve) => vetoed.provider.on('closed', resolve));
		vetoed.commitments.set('vetoed', new Y.Map());
		expect((await closed).code).toBe(CLOSE_CODES.refusedUpdate);
		expect(vetoed.denials.join()).toMatch(/vetoed by policy/);
		a.commitments.set('fine', new Y.Map());
		await waitUntil(() => b.commitments.has('fine'), 'accepted edit');
		expect(b.commitments.has('vetoed')).toBe(false);

		await yjs.documents.transact('hooks', (doc) => doc.getMap('computed').set('fine', { risk: 'short', shortQty: 3 }), 'risk');
		await waitUntil(() => (b.doc.getMap('computed').get('fine') as { risk?: string })?.risk === 'short', 'server write');
		expect(seen).toEqual(expect.arrayContaining(['client:user', 'server:risk']));
		expect(seen).toHaveLength(2);
		expect(judged).toEqual(expect.arrayContaining(['vetoed', 'fine']));
		await yjs.documents.flush('hooks');
		const stored = await storedJson('hooks');
		expect(stored).toHaveProperty('fine');
		expect(stored).not.toHaveProperty('vetoed');
	});
});
