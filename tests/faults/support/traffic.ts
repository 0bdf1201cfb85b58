import { io, type Socket } from 'socket.io-client';
import type { PositionMessage } from '../../../src/lib/contract/socket-events.ts';

/** One HTTP request the suite made, however it ended. */
export interface RequestRecord {
	kind: string;
	url: string;
	startedAt: number;
	ms: number;
	/** HTTP status, or null when no answer came (connection refused, reset, our 10 s abort). */
	status: number | null;
	retryAfter: string | null;
	error?: string;
}

export class RequestLog {
	readonly records: RequestRecord[] = [];

	async fetch(kind: string, url: string, init: RequestInit = {}): Promise<Response | null> {
		const startedAt = Date.now();
		try {
			// Far beyond the 2 s the product promises: a request this slow fails the suite, it is not cut short to pass.
			const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
			const body = await res.arrayBuffer().catch(() => null);
			this.records.push({ kind, url, startedAt, ms: Date.now() - startedAt, status: res.status, retryAfter: res.headers.get('retry-after') });
			return body === null ? null : new Response(body, { status: res.status, headers: res.headers });
		} catch (err) {
			const cause = (err as { cause?: { code?: string } }).cause?.code;
			this.records.push({ kind, url, startedAt, ms: Date.now() - startedAt, status: null, retryAfter: null, error: cause ?? (err as Error).name });
			return null;
		}
	}

	between(from: number, to: number): RequestRecord[] {
		return this.records.filter((r) => r.startedAt >= from && r.startedAt < to);
	}
}

export const SITES = ['FA', 'FB'];
export const SKUS = Array.from({ length: 10 }, (_, i) => `F${i}`);
/** Every SKU×site; the load only ever receives into the first half, so the second half stays below its reorder point. */
export const PAIRS = SKUS.flatMap((sku) => SITES.map((site) => ({ sku, site })));
export const LOADED_PAIRS = PAIRS.slice(0, PAIRS.length / 2);

/**
 * The load generator and its ledger: batches of receipts posted to the web nodes in turn, a batch
 * re-posted (same ids) until some node answers 202. `acked` is exactly the ids a 202 covered.
 */
export class Load {
	readonly acked = new Set<string>();
	private n = 0;
	private timer: NodeJS.Timeout | undefined;
	private readonly inFlight = new Set<Promise<void>>();
	private readonly retry: { id: string; sku: string; site: string; qty: number; at: string; type: 'receipt' }[][] = [];
	private turn = 0;

	constructor(
		private readonly log: RequestLog,
		private readonly nodes: () => string[],
		private readonly token: string,
		private readonly runId: string
	) {}

	start(everyMs = 100, batch = 10): void {
		this.timer = setInterval(() => {
			if (this.inFlight.size >= 8) return; // a node that answers slowly is not buried under more
			const events = this.retry.shift() ?? this.fresh(batch);
			const p = this.post(events).finally(() => this.inFlight.delete(p));
			this.inFlight.add(p);
		}, everyMs);
	}

	async stop(): Promise<void> {
		clearInterval(this.timer);
		await Promise.all([...this.inFlight]);
	}

	private fresh(batch: number) {
		return Array.from({ length: batch }, () => {
			const pair = LOADED_PAIRS[this.n % LOADED_PAIRS.length];
			return { id: `${this.runId}-${this.n++}`, type: 'receipt' as const, sku: pair.sku, site: pair.site, qty: 1, at: new Date().toISOString() };
		});
	}

	private async post(events: { id: string; sku: string; site: string; qty: number; at: string; type: 'receipt' }[]): Promise<void> {
		const nodes = this.nodes();
		const url = nodes[this.turn++ % nodes.length];
		const res = await this.log.fetch('POST /api/events', `${url}/api/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
			body: JSON.stringify(events)
		});
		if (res?.status === 202) for (const e of events) this.acked.add(e.id);
		else this.retry.push(events);
	}
}

/**
 * A screen: a Socket.IO client that keeps on hand per SKU×site from `position` events, replays by
 * seq on every (re)connect and reloads over REST when the replay says `truncated`, as the pages do.
 */
export class Screen {
	readonly onHand = new Map<string, { value: number; seq: number }>();
	private lastSeq = 0;
	private socket: Socket | null = null;

	constructor(
		private readonly url: () => string,
		private readonly cookie: () => string
	) {}

	connect(): void {
		const socket = io(this.url(), { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: this.cookie() }, reconnectionDelay: 300, reconnectionDelayMax: 1000 });
		this.socket = socket;
		socket.on('connect', () => this.replay(socket));
		socket.on('connect_error', () => {
			// Refused by middleware (database away): socket.io does not retry that by itself.
			if (!socket.active) setTimeout(() => this.socket === socket && socket.connect(), 500);
		});
		socket.on('disconnect', (reason) => {
			if (reason === 'io server disconnect') setTimeout(() => this.socket === socket && socket.connect(), 500);
		});
		socket.on('position', (m: PositionMessage) => this.apply(m.sku, m.site, m.onHand, m.seq));
	}

	close(): void {
		this.socket?.disconnect();
		this.socket = null;
	}

	private apply(sku: string, site: string, value: number, seq: number): void {
		const key = `${sku}|${site}`;
		if ((this.onHand.get(key)?.seq ?? -1) < seq) this.onHand.set(key, { value, seq });
		this.lastSeq = Math.max(this.lastSeq, seq);
	}

	private replay(socket: Socket): void {
		socket.emit('replay', { sinceSeq: this.lastSeq }, async (answer: { upTo?: number; truncated?: boolean; error?: string }) => {
			if (answer.error || answer.upTo === undefined) {
				setTimeout(() => socket.connected && this.replay(socket), 500);
				return;
			}
			if (answer.truncated) await this.reload(answer.upTo);
			this.lastSeq = Math.max(this.lastSeq, answer.upTo);
		});
	}

	/** Loads every position afresh, trying again while the server cannot answer (as a page's reload would). */
	private async reload(upTo: number): Promise<void> {
		for (let attempt = 0; attempt < 120; attempt++) {
			const res = await fetch(`${this.url()}/api/positions?limit=1000`, { headers: { cookie: this.cookie() } }).catch(() => null);
			if (res?.ok) {
				for (const p of (await res.json()) as { sku: string; site: string; onHand: number }[]) this.apply(p.sku, p.site, p.onHand, upTo);
				return;
			}
			await new Promise((r) => setTimeout(r, 500));
		}
	}
}
