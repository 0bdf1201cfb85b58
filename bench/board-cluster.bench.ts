// Part of `npm run bench board`: edit propagation between two web nodes (one database, one Redis)
// beside the same crowd on one node, and a bare Redis pub/sub hop as the floor of the relay. The
// nodes run as their own processes (`server/main.ts`, as deployed), the providers in this one, so
// the one-node and two-node figures differ by the relay alone, not by who shares an event loop.
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { boardClient, type BoardClient } from '../tests/support/yjs.ts';
import { startWebNode } from '../tests/support/cluster.ts';
import { putCard } from '../src/lib/contract/board/board-doc.ts';
import { summary } from './stats.ts';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
const today = new Date().toISOString().slice(0, 10);

/** The floor of the relay: one message published on one connection until another receives it. */
export async function redisHopBaseline(url: string, samples: number): Promise<number[]> {
	const pub = new Redis(url);
	const sub = new Redis(url);
	const channel = `bench:hop:${process.pid}`;
	await sub.subscribe(channel);
	const out: number[] = [];
	for (let i = 0; i < samples; i++) {
		const got = new Promise<void>((r) => sub.once('messageBuffer', () => r()));
		const t = performance.now();
		await pub.publish(channel, Buffer.alloc(64));
		await got;
		out.push(performance.now() - t);
		await settle(1);
	}
	pub.disconnect();
	sub.disconnect();
	return out;
}

/** The one card a bench board has (`bench-<board>`: a card id names one commitment on one board). */
export function benchCard(c: BoardClient): Y.Map<unknown> {
	for (const [id, card] of c.commitments.entries()) if (id.startsWith('bench-')) return card as Y.Map<unknown>;
	throw new Error('no bench card on this board');
}

export interface Editor {
	client: BoardClient;
	node: string;
}

/** `n` synced providers on `board`, spread round robin over `nodes`, with one shared card to type in. */
export async function editors(nodes: { url: string }[], cookie: string, n: number, board: string): Promise<Editor[]> {
	// Every y-websocket provider in Node adds a process 'exit' listener.
	if (process.getMaxListeners() < n + 50) process.setMaxListeners(n + 50);
	const list = Array.from({ length: n }, (_, i) => ({ client: boardClient(nodes[i % nodes.length].url, board, cookie), node: nodes[i % nodes.length].url }));
	await Promise.all(list.map((e) => e.client.synced));
	const first = list[0].client;
	if (!first.commitments.has(`bench-${board}`)) first.doc.transact(() => putCard(first.doc, `bench-${board}`, { customer: 'Bench', sku: 'B-1', qty: 1, requestedDate: today }));
	while (!list.every((e) => e.client.commitments.get(`bench-${board}`)?.get('notes'))) await settle(10);
	return list;
}

/**
 * Time from one provider's notes keystroke until the others have it: per receiver, per receiver on
 * another node than the author's, and until every receiver has it. Authors take turns.
 */
export async function propagation(list: Editor[], rounds: number) {
	const text = (c: BoardClient) => benchCard(c).get('notes') as Y.Text;
	const perReceiver: number[] = [];
	const crossNode: number[] = [];
	const all: number[] = [];
	for (let round = 0; round < rounds; round++) {
		const author = list[round % list.length];
		const others = list.filter((e) => e !== author);
		const t = performance.now();
		const arrivals = others.map(
			(e) =>
				new Promise<number>((resolve) => {
					const observe = () => (text(e.client).unobserve(observe), resolve(performance.now() - t));
					text(e.client).observe(observe);
				})
		);
		text(author.client).insert(0, 'x');
		const times = await Promise.all(arrivals);
		times.forEach((ms, i) => {
			perReceiver.push(ms);
			if (others[i].node !== author.node) crossNode.push(ms);
		});
		all.push(Math.max(...times));
		// A user types a few keys a second; back-to-back edits would measure queueing instead.
		await settle(5);
	}
	return { perReceiver: summary(perReceiver), crossNode: summary(crossNode), allReceived: summary(all) };
}

/**
 * Two web node processes on the database and Redis prefix of `env` (whose users exist already);
 * each crowd size is measured with every provider on one node, then split over both.
 */
export async function crowds(env: Record<string, string>, user: { email: string; password: string }, sizes: number[], rounds: number) {
	// One secret: a cookie signed by either node is good on both.
	const secret = { ...env, SESSION_SECRET: 'bench-board-cluster-secret-0123456789abcdef' };
	const nodes = await Promise.all([startWebNode(secret), startWebNode(secret)]);
	try {
		const [a, b] = nodes.map((n) => ({ url: `http://127.0.0.1:${n.port}` }));
		const res = await fetch(`${a.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: a.url }, body: JSON.stringify(user) });
		const cookie = res.headers.getSetCookie()[0].split(';')[0];
		const out = [];
		for (const size of sizes) {
			const one = await editors([a], cookie, size, `one-${size}`);
			const oneNode = await propagation(one, rounds);
			one.forEach((e) => e.client.destroy());
			const two = await editors([a, b], cookie, size, `two-${size}`);
			const twoNodes = await propagation(two, rounds);
			two.forEach((e) => e.client.destroy());
			out.push({ coEditors: size, oneNode, twoNodes, p99Ratio: twoNodes.crossNode.p99 / oneNode.perReceiver.p99 });
		}
		return out;
	} finally {
		await Promise.all(nodes.map((n) => n.kill()));
	}
}
