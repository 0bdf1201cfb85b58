// Fan-out: from an inventory event POST to the `alert` arriving at every one of N connected Socket.IO
// clients, while the simulated feed runs, beside a bare Socket.IO broadcast to the same clients in
// the same run; and the server's heap per idle connection. Clients live in a child process
// (bench/fanout.clients.ts) so the heap measured is the server's alone.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadConfig } from '../server/config.ts';
import { startFeed } from '../server/demo/feed.ts';
import { createLogger } from '../server/logger.ts';
import { startNode, type RunningNode } from '../server/node.ts';
import { createTestServices } from '../tests/support/services.ts';
import { fmt, summary } from './stats.ts';

const TOKEN = 'bench-fanout-token-0123456789abcdef';
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const now = () => performance.timeOrigin + performance.now();
/** Rounds run and discarded first: JIT, connection pools and caches warm up. */
const WARMUP = 3;

type Reply = { type: string; [k: string]: unknown };

/** The client process, driven by request → reply over IPC. */
class Clients {
	private readonly child: ChildProcess;
	private readonly waiting: { type: string; resolve: (m: Reply) => void }[] = [];

	constructor() {
		this.child = fork(fileURLToPath(new URL('./fanout.clients.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
		this.child.on('message', (m: Reply) => {
			if (m.type === 'error') throw new Error(`bench clients: ${String(m.message)}`);
			const i = this.waiting.findIndex((w) => w.type === m.type);
			if (i >= 0) this.waiting.splice(i, 1)[0].resolve(m);
		});
	}

	next(type: string): Promise<Reply> {
		return new Promise((resolve) => this.waiting.push({ type, resolve }));
	}

	async ask(cmd: Record<string, unknown>, reply: string): Promise<Reply> {
		const r = this.next(reply);
		this.child.send(cmd);
		return r;
	}
}

async function settledHeap(): Promise<number> {
	for (let i = 0; i < 3; i++) {
		await new Promise((r) => setTimeout(r, 300));
		gc();
	}
	return process.memoryUsage().heapUsed;
}

/** One round: arm the clients for `marker`, fire, and return every client's latency in ms. */
async function round(clients: Clients, kind: 'alert' | 'notice', marker: string, fire: () => Promise<unknown>) {
	await clients.ask({ cmd: 'expect', kind, marker, timeoutMs: 10_000 }, 'armed');
	const arrivals = clients.next('arrivals');
	const t0 = now();
	await fire();
	const r = (await arrivals) as unknown as { times: number[]; missing: number };
	return { latencies: r.times.map((t) => t - t0), missing: r.missing };
}

export async function fanoutBench(opts: { clients: number; heapAt: number[]; rounds: number }) {
	const svc = await createTestServices('bench_fanout');
	let node: RunningNode | null = null;
	try {
		const config = loadConfig({
			PORT: '0', HOST: '127.0.0.1', DATABASE_URL: svc.databaseUrl, REDIS_URL: svc.redisUrl,
			REDIS_PREFIX: svc.redisPrefix, INGEST_TOKEN: TOKEN, LOG_LEVEL: 'silent'
		});
		const log = createLogger('silent');
		node = await startNode(config, log, { web: true, workers: true, app: false });
		const { token } = await node.services.auth.createToken('bench walls', 'display', null);
		await svc.sql`insert into sites (code, name) values ('FAN', 'Fan-out site')`;
		// One SKU per round, with a lead time: a shipment from nothing projects a stockout (a `high` alert).
		await svc.sql`insert into skus (code, name, lead_time_days) select 'FAN-' || g, 'Fan ' || g, 10 from generate_series(0, ${(opts.rounds + WARMUP) * 2}) g`;
		const clients = new Clients();
		await clients.next('ready');

		const heap: { clients: number; bytesPerConnection: number }[] = [];
		const base = await settledHeap();
		const connect = async (total: number) => {
			const have = heap.length ? heap[heap.length - 1].clients : 0;
			await clients.ask({ cmd: 'connect', url: node!.url, token, n: total - have, concurrency: 50 }, 'connected');
			heap.push({ clients: total, bytesPerConnection: ((await settledHeap()) - base) / total });
		};
		await connect(opts.clients);

		const feed = await startFeed(node, log);
		let sku0 = 0;
		await new Promise((r) => setTimeout(r, 3000));
		const n = node;
		const phases = [];
		// Walls take alerts and commitment verdicts only; an app tab on the stock page takes every topic.
		for (const [label, topics] of [['walls (alert + commitment topics)', ['alert', 'commitment']], ['app tabs (every topic, positions included)', ['position', 'alert', 'commitment']]] as const) {
			await clients.ask({ cmd: 'subscribe', topics }, 'subscribed');
			const alert: number[] = [];
			const bare: number[] = [];
			let missing = 0;
			for (let i = -WARMUP; i < opts.rounds; i++) {
				// Alternating, so both see the same feed load and the same client process state.
				const sku = `FAN-${sku0++}`;
				const a = await round(clients, 'alert', sku, () =>
					fetch(`${n.url}/api/events`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
						body: JSON.stringify({ id: `fan-${sku}`, type: 'shipment', sku, site: 'FAN', qty: 5, at: new Date().toISOString() })
					})
				);
				const b = await round(clients, 'notice', `bare-${sku}`, async () => n.io!.emit('notice', { level: 'info', message: `bare-${sku}` }));
				if (process.env.BENCH_DEBUG) console.log(label.slice(0, 5), i, 'alert first', Math.min(...a.latencies).toFixed(1), 'last', Math.max(...a.latencies).toFixed(1), '| bare first', Math.min(...b.latencies).toFixed(1), 'last', Math.max(...b.latencies).toFixed(1));
				if (i < 0) continue;
				alert.push(...a.latencies);
				bare.push(...b.latencies);
				missing += a.missing + b.missing;
			}
			phases.push({ label, alert: summary(alert), bare: summary(bare), missing });
		}
		feed.stop();
		for (const total of opts.heapAt.filter((t) => t > opts.clients)) await connect(total);
		await clients.ask({ cmd: 'close' }, 'closed');
		return { clients: opts.clients, rounds: opts.rounds, phases, heap };
	} finally {
		await node?.close();
		await svc.teardown();
	}
}

export function reportFanout(r: Awaited<ReturnType<typeof fanoutBench>>) {
	return [
		`fan-out to ${r.clients} Socket.IO clients (display token, all sites), ${r.rounds} rounds per kind, simulated feed running:`,
		...r.phases.flatMap((p) => [
			`  ${p.label}:`,
			`    event POST → alert at every client   p50 ${fmt(p.alert.p50, 1)} ms  p99 ${fmt(p.alert.p99, 1)} ms  max ${fmt(p.alert.max, 1)} ms  (${p.alert.n} deliveries)`,
			`    baseline bare io.emit → every client p50 ${fmt(p.bare.p50, 1)} ms  p99 ${fmt(p.bare.p99, 1)} ms  max ${fmt(p.bare.max, 1)} ms`,
			`    missing deliveries                   ${p.missing}`
		]),
		...r.heap.map((h) => `  server heap per idle connection at ${h.clients}: ${fmt(h.bytesPerConnection / 1024, 1)} KiB`)
	].join('\n');
}
