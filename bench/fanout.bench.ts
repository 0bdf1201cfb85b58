// Fan-out: from an inventory event POST to the `alert` arriving at every one of N connected Socket.IO
// clients, while the simulated feed runs, beside a bare Socket.IO broadcast to the same clients in
// the same run; and the server's heap per idle connection. Clients live in a child process
// (bench/fanout.clients.ts) so the heap measured is the server's alone.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadConfig } from '../server/config.ts';
import { startFeed } from '../server/demo/feed.ts';
import { createLogger } from '../server/logger.ts';
import { startNode, type RunningNode } from '../server/node.ts';
import { createTestServices } from '../tests/support/services.ts';
import { setPathTrace, type PathStage } from '../server/metrics/path-trace.ts';
import type { Figure } from './results.ts';
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
	return { t0, times: r.times, latencies: r.times.map((t) => t - t0), missing: r.missing };
}

/** The stages of the path, each from the stage before it (job start from commit: it may beat the enqueue's answer). */
const STEPS: { name: string; from: PathStage | 'post'; to: PathStage | 'client' }[] = [
	{ name: 'POST → commit', from: 'post', to: 'commit' },
	{ name: 'commit → enqueued (Redis ack)', from: 'commit', to: 'enqueued' },
	{ name: 'commit → job start', from: 'commit', to: 'jobStart' },
	{ name: 'job start → recomputed (outbox row committed)', from: 'jobStart', to: 'recomputed' },
	{ name: 'recomputed → relay woken (NOTIFY)', from: 'recomputed', to: 'relayWoken' },
	{ name: 'relay woken → rows read (sequence + read)', from: 'relayWoken', to: 'rowsRead' },
	{ name: 'rows read → emitted', from: 'rowsRead', to: 'emitted' },
	{ name: 'emitted → client receive', from: 'emitted', to: 'client' }
];

/** Records, per bench SKU, the first time each stage of the path saw it. */
class PathRecorder {
	private readonly seen = new Map<string, Partial<Record<PathStage, number>>>();
	readonly steps = new Map<string, number[]>(STEPS.map((s) => [s.name, []]));
	install(): void {
		setPathTrace((stage, sku, at) => {
			if (!sku.startsWith('FAN-')) return;
			const m = this.seen.get(sku) ?? {};
			m[stage] ??= at;
			this.seen.set(sku, m);
		});
	}
	/** Adds one round's stage durations; client times are every client's arrival. */
	add(sku: string, t0: number, clientTimes: number[]): void {
		const m = this.seen.get(sku) ?? {};
		this.seen.delete(sku);
		for (const s of STEPS) {
			const from = s.from === 'post' ? t0 : m[s.from];
			if (from === undefined) continue;
			if (s.to === 'client') this.steps.get(s.name)!.push(...clientTimes.map((t) => t - from));
			else if (m[s.to] !== undefined) this.steps.get(s.name)!.push(m[s.to]! - from);
		}
	}
}

/**
 * The floor under our figure: heap per idle connection of a plain Socket.IO server (no auth, rooms or
 * application state) in this process, with the same client process connecting the same way.
 */
async function bareSocketIoHeap(n: number): Promise<{ clients: number; bytesPerConnection: number }> {
	const http = createServer();
	const io = new Server(http, { serveClient: false });
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
	try {
		const base = await settledHeap();
		const clients = new Clients();
		await clients.next('ready');
		await clients.ask({ cmd: 'connect', url, token: 'none', n, concurrency: 50 }, 'connected');
		const bytesPerConnection = ((await settledHeap()) - base) / n;
		await clients.ask({ cmd: 'close' }, 'closed');
		return { clients: n, bytesPerConnection };
	} finally {
		await new Promise<void>((resolve) => io.close(() => resolve()));
	}
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
			const path = new PathRecorder();
			path.install();
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
				path.add(sku, a.t0, a.times);
				alert.push(...a.latencies);
				bare.push(...b.latencies);
				missing += a.missing + b.missing;
			}
			setPathTrace(null);
			const stages = STEPS.map((st) => ({ name: st.name, ...summary(path.steps.get(st.name)!) }));
			phases.push({ label, alert: summary(alert), bare: summary(bare), missing, stages });
		}
		feed.stop();
		for (const total of opts.heapAt.filter((t) => t > opts.clients)) await connect(total);
		await clients.ask({ cmd: 'close' }, 'closed');
		return { clients: opts.clients, rounds: opts.rounds, phases, heap, bareHeap: await bareSocketIoHeap(opts.clients) };
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
			`    missing deliveries                   ${p.missing}`,
			`    where the time goes (per stage, ms):`,
			...p.stages.map((st) => `      ${st.name.padEnd(50)} p50 ${fmt(st.p50, 2).padStart(7)}  p99 ${fmt(st.p99, 2).padStart(7)}  (n ${st.n})`)
		]),
		...r.heap.map((h) => `  server heap per idle connection at ${h.clients}: ${fmt(h.bytesPerConnection / 1024, 1)} KiB`),
		`  baseline: plain Socket.IO server (no app code) at ${r.bareHeap.clients}: ${fmt(r.bareHeap.bytesPerConnection / 1024, 1)} KiB`
	].join('\n');
}

/** Headline figures for bench/results/latest.md: end-to-end p99 against the bare broadcast, heap per socket. */
export function fanoutFigures(r: Awaited<ReturnType<typeof fanoutBench>>): Figure[] {
	const targets = [1.5, 2];
	const names = [`event POST → alert at ${r.clients} wall clients, p99`, `event POST → alert at ${r.clients} app tabs, p99`];
	const figures: Figure[] = r.phases.map((p, i) => ({
		section: 'fanout',
		name: names[i] ?? p.label,
		value: p.alert.p99,
		unit: 'ms',
		baseline: { name: 'bare io.emit to the same clients, p99', value: p.bare.p99, unit: 'ms' },
		target: `≤ ${targets[i] ?? 2}× baseline`,
		met: p.alert.p99 <= (targets[i] ?? 2) * p.bare.p99
	}));
	for (const h of r.heap) {
		const kib = h.bytesPerConnection / 1024;
		figures.push({
			section: 'fanout',
			name: `server heap per idle Socket.IO connection at ${h.clients}`,
			value: kib,
			unit: 'KiB',
			baseline: { name: 'plain Socket.IO server, no app code', value: r.bareHeap.bytesPerConnection / 1024, unit: 'KiB' },
			target: '≤ 6 KiB',
			met: kib <= 6
		});
	}
	return figures;
}
