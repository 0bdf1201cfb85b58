// `npm run bench board`: edit propagation through a node's board endpoint (two providers, twenty
// co-editors), and between two nodes through the Redis relay at 20 and 100 co-editors beside the
// same crowds on one node, beside a raw WebSocket relay and a bare Redis hop; and the server memory of a loaded 2,000-card board
// beside an empty board and a plain Y.Doc holding the same document.
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { putCard } from '../src/lib/contract/board/board-doc.ts';
import { addDays } from '../src/lib/core/dates.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { startNode, type RunningNode } from '../server/node.ts';
import { startBoardSync } from '../server/realtime/board/board-sync.ts';
import { BoardDocuments } from '../server/realtime/yjs/board-documents.ts';
import { createBoardDocumentsRepository } from '../server/repositories/board-documents.repository.ts';
import { boardClient, type BoardClient } from '../tests/support/yjs.ts';
import { createTestServices } from '../tests/support/services.ts';
import { fmt, summary } from './stats.ts';
import { benchCard, crowds, redisHopBaseline } from './board-cluster.bench.ts';

const log = createLogger('silent');
const today = new Date().toISOString().slice(0, 10);
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
	for (let i = 0; i < 3; i++) gc();
	return process.memoryUsage().heapUsed;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The floor: one message from A through a bare WebSocket server to B. */
async function wsRelayBaseline(samples: number): Promise<number[]> {
	const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
	await new Promise((r) => wss.once('listening', r));
	const peers: WebSocket[] = [];
	wss.on('connection', (ws) => {
		peers.push(ws);
		ws.on('message', (data) => peers.forEach((p) => p !== ws && p.send(data)));
	});
	const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
	const [a, b] = [new WebSocket(url), new WebSocket(url)];
	await Promise.all([a, b].map((s) => new Promise((r) => s.once('open', r))));
	while (peers.length < 2) await settle(5);
	const out: number[] = [];
	for (let i = 0; i < samples; i++) {
		const got = new Promise<void>((r) => b.once('message', () => r()));
		const t = performance.now();
		a.send(new Uint8Array(32));
		await got;
		out.push(performance.now() - t);
	}
	a.close();
	b.close();
	await new Promise((r) => wss.close(r));
	return out;
}

/** Time from one provider's notes keystroke until `receivers` have it; per receiver and for all. */
async function propagation(editors: BoardClient[], rounds: number) {
	const text = (c: BoardClient) => benchCard(c).get('notes') as Y.Text;
	const perReceiver: number[] = [];
	const all: number[] = [];
	for (let round = 0; round < rounds; round++) {
		const author = editors[round % editors.length];
		const others = editors.filter((c) => c !== author);
		const t = performance.now();
		const arrivals = others.map(
			(c) =>
				new Promise<number>((resolve) => {
					const observe = () => (text(c).unobserve(observe), resolve(performance.now() - t));
					text(c).observe(observe);
				})
		);
		text(author).insert(0, 'x');
		const times = await Promise.all(arrivals);
		perReceiver.push(...times);
		all.push(Math.max(...times));
		// A user types a few keys a second; back-to-back edits would measure queueing instead.
		await settle(5);
	}
	return { perReceiver: summary(perReceiver), allReceived: summary(all) };
}

async function clients(node: RunningNode, cookie: string, n: number, board: string): Promise<BoardClient[]> {
	const list = Array.from({ length: n }, () => boardClient(node.url, board, cookie));
	await Promise.all(list.map((c) => c.synced));
	if (!list[0].commitments.has(`bench-${board}`)) {
		list[0].doc.transact(() => putCard(list[0].doc, `bench-${board}`, { customer: 'Bench', sku: 'B-1', qty: 1, requestedDate: today }));
	}
	while (!list.every((c) => c.commitments.get(`bench-${board}`)?.get('notes'))) await settle(10);
	return list;
}

/** A board of `n` cards, its rows stored alike (so loading it writes nothing) and its document saved. */
async function seedBigBoard(node: RunningNode, n: number): Promise<Uint8Array> {
	const doc = new Y.Doc();
	const rows = Array.from({ length: n }, (_, i) => ({
		id: `m${i}`, board_id: 'big', customer: `Customer ${i % 300}`, sku: `SKU-${i % 500}`, qty: 1 + (i % 90),
		requested_date: addDays(today, 1 + (i % 60)), owner: `rep${i % 12}@demo.local`, priority: i % 10, notes: `Call back about pallet ${i}, dock ${i % 7}.`
	}));
	doc.transact(() => {
		for (const r of rows) {
			putCard(doc, r.id, { customer: r.customer, sku: r.sku, qty: r.qty, requestedDate: r.requested_date, promisedDate: null, site: null, status: 'requested', owner: r.owner, priority: r.priority, notes: r.notes });
			doc.getMap('computed').set(r.id, { risk: 'unknown', shortQty: 0, earliestDate: null, checkedAt: null });
		}
	});
	await node.sql`insert into commitments (id, board_id, customer, sku, qty, requested_date, owner, priority, notes)
		select * from json_to_recordset(${node.sql.json(rows as never)}::json) as x(id text, board_id text, customer text, sku text,
			qty integer, requested_date date, owner text, priority integer, notes text)`;
	const update = Y.encodeStateAsUpdate(doc);
	await createBoardDocumentsRepository(node.sql).append('big', update);
	return update;
}

async function memory(node: RunningNode, n: number) {
	const update = await seedBigBoard(node, n);
	// A registry of our own with the same board machinery as a node's (guard shadow, projection).
	const documents = new BoardDocuments({ store: createBoardDocumentsRepository(node.sql), log });
	const sync = startBoardSync({ documents, services: { board: node.services.board, boards: node.services.boards, commitments: { useBoard: () => {} } as never }, boardLog: node.repos.boardLog, relay: null, log });
	const processHeap = heapAfterGc();
	const empty = await documents.acquire('empty');
	await settle(300);
	const emptyBoard = heapAfterGc() - processHeap;
	const t = performance.now();
	const big = await documents.acquire('big');
	const loadMs = performance.now() - t;
	await settle(1500);
	const bigBoard = heapAfterGc() - processHeap - emptyBoard;
	const before = heapAfterGc();
	const plain = new Y.Doc();
	Y.applyUpdate(plain, update);
	const plainDoc = heapAfterGc() - before;
	const wrote = (await node.sql`select count(*)::int as n from board_updates where board_id = 'big'`)[0].n - 1;
	empty.release();
	big.release();
	await sync.close();
	await documents.close();
	void plain;
	return { commitments: n, updateBytes: update.byteLength, loadMs, processHeap, emptyBoard, bigBoard, plainDoc, rowsWrittenOnLoad: wrote };
}

export async function boardBench(opts: { rounds: number; coEditors: number; commitments: number; crowds: number[] }) {
	const svc = await createTestServices('bench_board');
	try {
		const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: svc.databaseUrl, REDIS_URL: svc.redisUrl, REDIS_PREFIX: svc.redisPrefix, LOG_LEVEL: 'silent' });
		const node = await startNode(config, log, { web: true, workers: true, app: false });
		await node.repos.users.upsert({ email: 'bench@board.local', name: 'Bench', role: 'admin', passwordHash: await node.services.auth.hashPassword('bench-pw') });
		const res = await fetch(`${node.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: node.url }, body: JSON.stringify({ email: 'bench@board.local', password: 'bench-pw' }) });
		const cookie = res.headers.getSetCookie()[0].split(';')[0];

		const relay = summary(await wsRelayBaseline(opts.rounds));
		const pair = await clients(node, cookie, 2, 'pair');
		const two = await propagation(pair, opts.rounds);
		pair.forEach((c) => c.destroy());
		const crowd = await clients(node, cookie, opts.coEditors, 'crowd');
		const many = await propagation(crowd, opts.rounds);
		crowd.forEach((c) => c.destroy());
		const redisHop = summary(await redisHopBaseline(svc.redisUrl, opts.rounds));
		// Two web node processes on the same database and Redis: boards cross through the relay.
		const env = { DATABASE_URL: svc.databaseUrl, REDIS_URL: svc.redisUrl, REDIS_PREFIX: svc.redisPrefix };
		const cluster = await crowds(env, { email: 'bench@board.local', password: 'bench-pw' }, opts.crowds, opts.rounds);
		const mem = await memory(node, opts.commitments);
		await node.close();
		return { relay, redisHop, two, many, coEditors: opts.coEditors, cluster, memory: mem };
	} finally {
		await svc.teardown();
	}
}

const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MB`;

export function reportBoard(r: Awaited<ReturnType<typeof boardBench>>) {
	const line = (what: string, s: { p50: number; p99: number; n: number }) => `  ${what}: p50 ${fmt(s.p50)} ms, p99 ${fmt(s.p99)} ms (n=${s.n})`;
	return [
		'board: edit propagation through /yjs (notes keystroke → other providers), one process',
		line('baseline, raw ws relay A → server → B', r.relay),
		line('two providers', r.two.perReceiver),
		line(`${r.coEditors} co-editors, each receiver`, r.many.perReceiver),
		line(`${r.coEditors} co-editors, until all ${r.coEditors - 1} have it`, r.many.allReceived),
		'board: web node processes (one database, one Redis): the crowd on one node, then split over two',
		line('baseline, bare Redis publish → subscriber', r.redisHop),
		...r.cluster.flatMap((c) => [
			line(`${c.coEditors} co-editors on one node, each receiver`, c.oneNode.perReceiver),
			line(`${c.coEditors} co-editors on two nodes, each receiver on the other node`, c.twoNodes.crossNode),
			line(`${c.coEditors} co-editors on two nodes, until all ${c.coEditors - 1} have it`, c.twoNodes.allReceived),
			`  cross-node p99 / one-node p99: ${fmt(c.p99Ratio)}× (target ≤ 2×)`
		]),
		`board: server memory (heap after GC) for ${r.memory.commitments} commitments (${fmt(r.memory.updateBytes / 1024, 0)} kB as one update), loaded in ${fmt(r.memory.loadMs, 0)} ms`,
		`  loaded board (document, presence, staging replica, projection): ${mb(r.memory.bigBoard)}`,
		`  baselines: plain Y.Doc of the same update ${mb(r.memory.plainDoc)}; empty board ${mb(r.memory.emptyBoard)}; process heap before ${mb(r.memory.processHeap)}`,
		`  writes caused by loading it: ${r.memory.rowsWrittenOnLoad} update rows`
	].join('\n');
}
