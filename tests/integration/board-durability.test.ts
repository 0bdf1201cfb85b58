// Board edits survive `kill -9` of the server. The real server runs as a child process (so it can be
// killed) and needs a build: run with PB_BUILD_DIR pointing at one, as CI's `npm run build` makes.
//
// "Acknowledged" here means persisted: the board as stored in Postgres (snapshot + update rows)
// reproduces the client's document exactly. The server appends accepted updates in batches within
// ~100 ms (measured here: 100–200 ms); the test waits for that, and for the server's own follow-up
// writes, before the kill.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addDays } from '../../src/lib/core/dates.ts';
import { createBoardDocumentsRepository } from '../../server/repositories/board-documents.repository.ts';
import { addCard, boardClient, card, docHash, type BoardClient } from '../support/yjs.ts';
import { waitForValue } from '../support/wait.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let cookie = '';
const clients: BoardClient[] = [];
const D = (n: number) => addDays(new Date().toISOString().slice(0, 10), n);

async function signIn(email: string): Promise<string> {
	const res = await fetch(`${node.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: node.url },
		body: JSON.stringify({ email, password: 'pw-for-tests' })
	});
	return res.headers.getSetCookie()[0].split(';')[0];
}

function client(board: string): BoardClient {
	const c = boardClient(node.url, board, cookie);
	clients.push(c);
	return c;
}

/** The board exactly as Postgres holds it: what a restarted server will load. */
async function stored(board: string): Promise<Y.Doc> {
	const { snapshot, updates } = await createBoardDocumentsRepository(node.db.sql).load(board);
	const doc = new Y.Doc();
	for (const u of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, u);
	return doc;
}

function edit(c: BoardClient, round: number): void {
	for (let i = 0; i < 10; i++) addCard(c, `k${round}-${i}`, { customer: `Cust ${round}-${i}`, sku: `K-${i}`, qty: i + 1, requestedDate: D(i + 3), notes: '' });
	c.doc.transact(() => card(c, `k${round}-3`)!.set('qty', 99));
	(card(c, `k${round}-5`)!.get('notes') as Y.Text).insert(0, `typed in round ${round}`);
}

beforeAll(async () => {
	// A fixed secret: the session cookie must still be valid for the restarted process.
	node = await spawnTestNode('boardkill', { SESSION_SECRET: 'board-durability-test-secret-0123456789' });
	await createUser(node.db, 'admin@kill.local', 'admin');
	cookie = await signIn('admin@kill.local');
});
afterAll(async () => {
	clients.forEach((c) => c.destroy());
	await node?.stop();
});

describe('board documents across kill -9', () => {
	it('keeps every acknowledged edit: the restarted server serves a hash-identical document', async () => {
		const a = client('durable');
		await a.synced;
		for (let round = 0; round < 3; round++) edit(a, round);
		const t0 = Date.now();
		const own = Y.decodeStateVector(Y.encodeStateVector(a.doc)).get(a.doc.clientID)!;
		await waitForValue(async () => (Y.decodeStateVector(Y.encodeStateVector(await stored('durable'))).get(a.doc.clientID) ?? 0) >= own, 5000, 10);
		const ownMs = Date.now() - t0;
		// Then the server's own follow-ups (verdicts into `computed`) are stored too: the whole document.
		await waitForValue(async () => docHash(await stored('durable')) === docHash(a.doc), 5000, 20);
		console.log(`our edits persisted ${ownMs} ms after the last one; the whole document (with the server's writes) after ${Date.now() - t0} ms`);
		const before = docHash(a.doc);
		a.destroy(); // the server alone must have it: no client is left to resend anything

		expect(await node.kill('SIGKILL')).toBe(null);
		await node.restart();
		const b = client('durable');
		await b.synced;
		expect(docHash(b.doc)).toBe(before);
		expect(b.commitments.size).toBe(30);
		// The table follows the document again, even for edits the projection had not stored yet.
		await waitForValue(async () => {
			const rows = await node.db.sql<{ id: string; qty: number }[]>`select id, qty from commitments where board_id = 'durable'`;
			return rows.length === 30 && rows.filter((r) => r.qty === 99).length === 3;
		});
	});

	it('loses no edit a live client made just before the kill: its provider resends after the restart', async () => {
		const a = client('inflight');
		await a.synced;
		edit(a, 7);
		// Killed at once, before the batch could be saved; the client keeps its replica.
		await node.kill('SIGKILL');
		await node.restart();
		const b = client('inflight');
		await b.synced;
		await waitForValue(async () => b.commitments.size === 10 && (card(b, 'k7-5')?.get('notes') as Y.Text | undefined)?.toString() === 'typed in round 7');
		await waitForValue(async () => docHash(await stored('inflight')) === docHash(a.doc) && docHash(a.doc) === docHash(b.doc), 10_000);
	});
});
