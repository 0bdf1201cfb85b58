import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Principal } from '../../server/auth/principal.ts';
import { createLogger } from '../../server/logger.ts';
import { CLOSE_CODES } from '../../server/realtime/yjs/yjs.protocol.ts';
import { createYjsServer, type YjsServerOptions } from '../../server/realtime/yjs/yjs.transport.ts';
import { createBoardDocumentsRepository, type BoardDocumentStore } from '../../server/repositories/board-documents.repository.ts';
import { createTestServices, type TestServices } from '../support/services.ts';
import { waitUntil } from '../support/wait.ts';
import { boardClient } from '../support/yjs.ts';

const log = createLogger('silent');
const LIMIT = 64 * 1024;
let services: TestServices;
const cleanups: (() => Promise<void> | void)[] = [];

async function authorise(req: IncomingMessage): Promise<Principal | null> {
	const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
	if (token !== 'good-writer') return null;
	return { kind: 'user', userId: 'u1', sessionId: 's1', email: 'e@x', name: 'E', sites: null, role: 'sales' };
}

async function startServer(overrides: Partial<YjsServerOptions> = {}) {
	const http = createServer();
	const yjs = createYjsServer({
		log, authorise, sql: services.sql, maxMessageBytes: LIMIT, unloadGraceMs: 150, flushDelayMs: 20, retryBaseMs: 20, retryMaxMs: 100, ...overrides
	});
	http.on('upgrade', (req, socket, head) => yjs.handleUpgrade(req, socket, head));
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const port = (http.address() as AddressInfo).port;
	const stop = async () => {
		await yjs.close();
		await new Promise((resolve) => http.close(resolve));
	};
	cleanups.push(stop);
	return { url: `ws://127.0.0.1:${port}/yjs`, yjs, stop };
}

function connect(url: string, board: string, { connect = true } = {}) {
	const client = boardClient(url, board, { token: 'good-writer', origin: null, connect });
	cleanups.push(() => client.destroy());
	return { ...client, map: client.commitments as Y.Map<unknown> };
}

/** From now on, every insert into board_updates fails, as it would with the database away. */
function failBoardSaves() {
	return services.sql.unsafe(`
		create or replace function fail_board_updates() returns trigger language plpgsql as
		$$ begin raise exception 'injected outage'; end $$;
		create trigger fail_board_updates before insert on board_updates
		for each row execute function fail_board_updates();`);
}

/** A raw socket that has been answered (so its board is loaded); resolves its close code. */
async function raw(url: string, board: string) {
	const ws = new WebSocket(`${url}/${board}?token=good-writer`);
	const first = new Promise<Buffer>((resolve) => ws.once('message', (data) => resolve(data as Buffer)));
	const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
	ws.on('error', () => {});
	await first;
	return { ws, closed };
}

function message(...parts: (number | Uint8Array)[]): Uint8Array {
	const encoder = encoding.createEncoder();
	for (const part of parts) {
		if (typeof part === 'number') encoding.writeVarUint(encoder, part);
		else encoding.writeUint8Array(encoder, part);
	}
	return encoding.toUint8Array(encoder);
}

/** Proves the server still serves: two fresh providers exchange an edit. */
async function stillServes(url: string, board: string): Promise<void> {
	const a = connect(url, board);
	const b = connect(url, board);
	await Promise.all([a.synced, b.synced]);
	const key = `k${Math.random()}`;
	a.map.set(key, 1);
	await waitUntil(() => b.map.get(key) === 1, 'edit after the bad client');
	a.provider.destroy();
	b.provider.destroy();
}

const rowCount = async (board: string) =>
	(await services.sql<{ n: number }[]>`select count(*)::int as n from board_updates where board_id = ${board}`)[0].n;

beforeAll(async () => {
	services = await createTestServices('yjs-robust');
});

afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
	await services.sql`drop trigger if exists fail_board_updates on board_updates`;
	await services.teardown();
});

describe('yjs sync server against hostile or broken input', () => {
	it('closes sockets that send garbage with a named code and keeps serving', async () => {
		const { url, yjs } = await startServer();
		const valid = new Y.Doc();
		valid.getMap('commitments').set('c1', 'x'.repeat(100));
		const update = Y.encodeStateAsUpdate(valid);
		const truncatedLength = encoding.encode((e) => {
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, 2);
			encoding.writeVarUint(e, update.length);
		});
		const cases: [string, Uint8Array | string, number][] = [
			['random bytes', new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0x7f, 9, 200, 13, 77, 1, 0xfe]), CLOSE_CODES.malformed],
			['sync type only', message(0), CLOSE_CODES.malformed],
			['update without payload', message(0, 2), CLOSE_CODES.malformed],
			['update cut inside its length-prefixed bytes', Uint8Array.of(...truncatedLength, ...update.subarray(0, 40)), CLOSE_CODES.malformed],
			['update whose bytes are cut short', message(0, 2, update.length - 3, update.subarray(0, update.length - 3)), CLOSE_CODES.malformed],
			['state vector that is garbage', message(0, 0, 3, new Uint8Array([0xff, 0xff, 0xff])), CLOSE_CODES.malformed],
			['unknown sync step', message(0, 7, 0), CLOSE_CODES.malformed],
			['unknown message type', message(42), CLOSE_CODES.malformed],
			['awareness that is not JSON', message(1, 6, new Uint8Array([1, 5, 1, 2, 0x7b, 0x7b])), CLOSE_CODES.malformed],
			['text frame', 'hello', CLOSE_CODES.malformed],
			['message over the limit', new Uint8Array(LIMIT + 1), CLOSE_CODES.messageTooLarge],
			['message over the transport cap', new Uint8Array(LIMIT * 3), CLOSE_CODES.transportTooLarge]
		];
		for (const [what, bytes, code] of cases) {
			const { ws, closed } = await raw(url, 'hostile');
			ws.send(bytes);
			expect(await closed, what).toBe(code);
		}
		const doc = (await yjs.documents.acquire('hostile')).document.doc;
		expect(doc.getMap('commitments').size).toBe(0);
		expect(doc.store.pendingStructs).toBeNull();
		await stillServes(url, 'hostile');
	});

	it('closes a client flooding a board that is still loading, and answers nobody before the load', async () => {
		let releaseLoad!: () => void;
		const gate = new Promise<void>((resolve) => (releaseLoad = resolve));
		const repo = createBoardDocumentsRepository(services.sql);
		const store: BoardDocumentStore = { ...repo, load: async (id) => (await gate, repo.load(id)) };
		const { url } = await startServer({ store });
		const patient = new WebSocket(`${url}/slow?token=good-writer`);
		let answeredAt = 0;
		patient.on('message', () => (answeredAt ||= Date.now()));
		await new Promise((resolve) => patient.on('open', resolve));
		const flood = new WebSocket(`${url}/slow?token=good-writer`);
		const floodClosed = new Promise<number>((resolve) => flood.on('close', resolve));
		await new Promise((resolve) => flood.on('open', resolve));
		for (let i = 0; i < 100; i++) flood.send(message(0, 0, 1, new Uint8Array([0])));
		// The flood was judged after the patient's upgrade: a board answering before its load would have spoken by now.
		expect(await floodClosed).toBe(CLOSE_CODES.tooManyMessages);
		const loadedAt = Date.now();
		expect(answeredAt).toBe(0);
		releaseLoad();
		await waitUntil(() => answeredAt > 0, 'sync step 1 after the load');
		expect(answeredAt).toBeGreaterThanOrEqual(loadedAt);
		patient.close();
	});

	it('keeps edits in memory while saving fails, and saves them once the database recovers', async () => {
		const { url, yjs } = await startServer();
		await failBoardSaves();
		const a = connect(url, 'outage');
		const late = connect(url, 'outage', { connect: false });
		try {
			await a.synced;
			for (let i = 0; i < 10; i++) a.map.set(`c${i}`, i);
			await waitUntil(() => yjs.documents.stats('outage')?.savingFails === true, 'a failed save');
			late.provider.connect();
			await late.synced;
			expect(late.map.toJSON()).toEqual(a.map.toJSON());
			// Still held after a newcomer was served from memory, with retries failing meanwhile.
			expect(yjs.documents.stats('outage')?.pendingUpdates).toBeGreaterThan(0);
			expect(await rowCount('outage')).toBe(0);
		} finally {
			await services.sql`drop trigger if exists fail_board_updates on board_updates`;
		}
		await waitUntil(async () => (await rowCount('outage')) > 0 && yjs.documents.stats('outage')?.pendingUpdates === 0, 'saved after recovery');
		const expected = a.map.toJSON();
		a.provider.destroy();
		late.provider.destroy();
		const second = await startServer();
		const fresh = connect(second.url, 'outage');
		await fresh.synced;
		expect(fresh.map.toJSON()).toEqual(expected);
	});

	it('holds a bounded amount unsaved: past it edits are turned away with 1013, resent on reconnect, and none is lost', async () => {
		const { url, yjs } = await startServer({ maxUnsavedBytes: 2048 });
		await failBoardSaves();
		const a = connect(url, 'bounded');
		const closes: number[] = [];
		a.provider.on('connection-close', (e) => e && closes.push(e.code));
		try {
			await a.synced;
			a.map.set('first', 'x');
			await waitUntil(() => yjs.documents.stats('bounded')?.savingFails === true, 'a failed save');
			for (let i = 0; i < 20; i++) a.map.set(`big${i}`, 'y'.repeat(300));
			await waitUntil(() => closes.includes(CLOSE_CODES.tryAgainLater), 'turned away past the bound');
		} finally {
			await services.sql`drop trigger if exists fail_board_updates on board_updates`;
		}
		// The turned-away edits come back when the provider reconnects, then are saved with the rest.
		const size = async () => (await yjs.documents.getDocument('bounded')).getMap('commitments').size;
		await waitUntil(async () => (await size()) === 21 && yjs.documents.stats('bounded')?.pendingUpdates === 0, 'resent and saved', 15_000);
		const second = await startServer();
		const fresh = connect(second.url, 'bounded');
		await fresh.synced;
		await waitUntil(() => fresh.map.size === 21, 'every edit stored', 10_000);
		expect(fresh.map.toJSON()).toEqual(a.map.toJSON());
	});

	it('compacts a busy board in the background without losing edits', async () => {
		const { url, yjs } = await startServer({ compactAfterUpdates: 5, flushDelayMs: 5 });
		const a = connect(url, 'busy');
		await a.synced;
		for (let i = 0; i < 40; i++) {
			a.map.set(`c${i % 7}`, i);
			await new Promise((r) => setTimeout(r, 8));
		}
		await yjs.documents.flush('busy');
		await waitUntil(async () => (await services.sql`select 1 from board_snapshots where board_id = 'busy'`).length === 1, 'a snapshot');
		expect(await rowCount('busy')).toBeLessThan(10);
		const expected = a.map.toJSON();
		const second = await startServer();
		const fresh = connect(second.url, 'busy');
		await fresh.synced;
		expect(fresh.map.toJSON()).toEqual(expected);
	});

	it('refuses an update with missing dependencies at once: nothing is kept pending for a later update to carry in', async () => {
		const { url, yjs } = await startServer();
		const author = new Y.Doc();
		const updates: Uint8Array[] = [];
		author.on('update', (u: Uint8Array) => updates.push(u));
		author.getMap('commitments').set('first', 1);
		author.getMap('commitments').set('second', 2);
		const watcher = connect(url, 'gaps');
		await watcher.synced;

		const gapped = await raw(url, 'gaps');
		gapped.ws.send(message(0, 2, updates[1].length, updates[1]));
		expect(await gapped.closed).toBe(CLOSE_CODES.refusedUpdate);
		expect((await yjs.documents.getDocument('gaps')).store.pendingStructs).toBeNull();
		// The missing part arriving later from someone else carries nothing in with it.
		const late = await raw(url, 'gaps');
		late.ws.send(message(0, 2, updates[0].length, updates[0]));
		await waitUntil(() => watcher.map.get('first') === 1, 'the honest part');
		expect(watcher.map.has('second')).toBe(false);
		const newcomer = connect(url, 'gaps');
		await newcomer.synced;
		expect(newcomer.map.has('second')).toBe(false);
		expect(newcomer.doc.store.pendingStructs).toBeNull();
		late.ws.close();
		watcher.provider.destroy();
		newcomer.provider.destroy();
	});

	it("takes an edit that arrives before its author's own sync step 2 once that step 2 is in (a reconnect typing on)", async () => {
		const { url } = await startServer();
		const author = new Y.Doc();
		const updates: Uint8Array[] = [];
		author.on('update', (u: Uint8Array) => updates.push(u));
		author.getMap('commitments').set('offline', 1);
		author.getMap('commitments').set('typed-on', 2);
		const watcher = connect(url, 'reconnect');
		await watcher.synced;
		const peer = await raw(url, 'reconnect');
		let closedWith: number | null = null;
		void peer.closed.then((code) => (closedWith = code));
		peer.ws.send(message(0, 2, updates[1].length, updates[1])); // the new edit, built on the offline one
		peer.ws.send(message(0, 1, updates[0].length, updates[0])); // its step 2, with the offline edit
		await waitUntil(() => watcher.map.get('offline') === 1 && watcher.map.get('typed-on') === 2, 'both edits, in order');
		expect(closedWith).toBeNull();
		peer.ws.close();
		watcher.provider.destroy();
	});

	it('terminates a peer that stops answering pings', async () => {
		const { url } = await startServer({ pingIntervalMs: 50 });
		const ws = new WebSocket(`${url}/pings?token=good-writer`, { autoPong: false });
		const closed = new Promise<number>((resolve) => ws.on('close', resolve));
		expect(await closed).toBe(1006);
		const alive = new WebSocket(`${url}/pings?token=good-writer`);
		let pings = 0;
		alive.on('ping', () => pings++);
		await new Promise((r) => alive.on('open', r));
		// Several ping rounds (the dead peer went after one): a peer that answers stays.
		await waitUntil(() => pings >= 4, 'four pings');
		expect(alive.readyState).toBe(WebSocket.OPEN);
		alive.close();
	});
});
