import { CoalescingRunner } from '../jobs/coalescing-runner.ts';
import { type OutboxTopic, type ReplayAnswer } from '../../src/lib/contract/socket-events.ts';
import type { Logger } from '../logger.ts';
import { parseSequencedNote, type OutboxRepository, type OutboxRow } from '../repositories/outbox.repository.ts';
import type { PbServer, PbSocket } from './socket.server.ts';
import { rowRooms, wants } from './subscription.ts';
import { tracePath, traceNow, tracing } from '../metrics/path-trace.ts';
import { boardOfToken, canSeeSite, type Principal } from '../../src/lib/policy/access.policy.ts';

const BATCH = 1000;
const POLL_MS = 1000;
/**
 * Most outbox rows one replay walks. A client further behind gets `{truncated: true}` and reloads its
 * data, which is one page load instead of minutes of events pushed through one socket.
 */
export const REPLAY_LIMIT = 5000;

/** Whether a replayed row may go to this principal: its sites, and for a display token its board's verdicts only. */
function mayReceive(p: Principal, row: OutboxRow): boolean {
	if (!canSeeSite(p, row.site)) return false;
	const board = boardOfToken(p);
	return row.topic !== 'commitment' || board === null || row.payload.board === board;
}

/**
 * Every web node tails the outbox itself and emits to its own sockets, so no cross-node broadcast is
 * needed for outbox events and a node that was down simply resumes from the last seq it sent.
 */
export class OutboxRelay {
	private lastSeq = 0;
	private running = false;
	private readonly runner = new CoalescingRunner(() => this.pump(), (err) => this.log.error({ err }, 'outbox relay failed'), () => this.running);
	private timer: NodeJS.Timeout | undefined;
	/** When the first kick since the last pump came (bench tracing only). */
	private woken: number | undefined;
	private unlisten: (() => Promise<void>) | undefined;
	private readonly taps = new Set<(row: OutboxRow) => void>();
	/** Sockets mid-replay: live rows skip them (their replay sends those rows, in order). */
	private readonly replaying = new Set<string>();

	constructor(
		private readonly io: PbServer,
		private readonly outbox: OutboxRepository,
		private readonly log: Logger,
		private readonly replayLimit = REPLAY_LIMIT
	) {}

	/** The last seq this node relayed (metrics: outbox lag). */
	get relayedSeq(): number {
		return this.lastSeq;
	}

	async start(): Promise<void> {
		this.lastSeq = await this.outbox.lastSeq();
		this.running = true;
		const sub = await this.outbox.listen((payload) => this.notified(payload));
		this.unlisten = () => sub.unlisten();
		// NOTIFY can be lost across a reconnect of the listening connection; polling bounds the delay.
		this.timer = setInterval(() => this.kick(), POLL_MS);
		this.timer.unref();
	}

	async stop(): Promise<void> {
		this.running = false;
		clearInterval(this.timer);
		await this.unlisten?.().catch(() => {});
		await this.runner.idle();
	}

	/** Server-side subscribers (e.g. open board documents) see every row this node relays, in seq order. */
	tap(topics: OutboxTopic[], fn: (row: OutboxRow) => void): () => void {
		const t = (row: OutboxRow) => {
			if (topics.includes(row.topic)) fn(row);
		};
		this.taps.add(t);
		return () => this.taps.delete(t);
	}

	kick(): void {
		this.runner.kick();
	}

	/**
	 * A sequencer's note carries the seqs it stamped and, when small, the rows: those that follow what
	 * this node sent are emitted at once, without reading them back. Anything else (`new`, a gap, rows
	 * too large for a note) runs the pump, which stamps and reads.
	 */
	private notified(payload: string): void {
		const note = parseSequencedNote(payload);
		if (note && note.to <= this.lastSeq) return;
		if (note?.rows && this.running && this.deliver(note.rows, traceNow())) return;
		this.woken ??= traceNow();
		this.kick();
	}
	/** Emits the rows that continue `lastSeq` without a gap; false if a gap leaves some for a read. */
	private deliver(rows: OutboxRow[], woken: number): boolean {
		if (tracing()) this.traceRows(rows, woken);
		for (const row of rows) {
			if (row.seq <= this.lastSeq) continue;
			// A gap: rows stamped elsewhere that this node has not seen yet, or seqs of an aborted stamp.
			if (row.seq !== this.lastSeq + 1) return false;
			this.broadcast(row);
			this.lastSeq = row.seq;
		}
		return true;
	}
	private async pump(): Promise<void> {
		const woken = this.woken ?? traceNow();
		this.woken = undefined;
		// What this node stamps right after what it sent needs no read (the common case on one node).
		let stamped = await this.outbox.sequence(BATCH);
		while (stamped.length > 0 && this.deliver(stamped, woken)) {
			if (stamped.length < BATCH) return;
			stamped = await this.outbox.sequence(BATCH);
		}
		for (;;) {
			const rows = await this.outbox.after(this.lastSeq, BATCH);
			if (tracing()) this.traceRows(rows, woken);
			for (const row of rows) {
				// A note delivered while this read was in flight may have sent some of these already.
				if (row.seq <= this.lastSeq) continue;
				this.broadcast(row);
				this.lastSeq = row.seq;
			}
			if (rows.length < BATCH) break;
		}
		// A full stamp may have left rows unsequenced, and our own NOTIFY will not wake us for them.
		if (stamped.length === BATCH) this.kick();
	}
	private traceRows(rows: OutboxRow[], woken: number): void {
		const skus = rows.flatMap((r) => (r.topic === 'alert' && typeof r.payload.sku === 'string' ? [r.payload.sku] : []));
		tracePath('relayWoken', skus, woken);
		tracePath('rowsRead', skus);
	}
	private broadcast(row: OutboxRow): void {
		const t = row.topic;
		const rooms = rowRooms(row);
		if (row.site === null) rooms.push(...this.siteRooms(t));
		const target = this.replaying.size ? this.io.to(rooms).except([...this.replaying]) : this.io.to(rooms);
		emitRow(target, row);
		if (t === 'alert' && tracing() && typeof row.payload.sku === 'string') tracePath('emitted', [row.payload.sku]);
		for (const t of this.taps) {
			try {
				t(row);
			} catch (err) {
				this.log.error({ err, seq: row.seq }, 'outbox tap failed');
			}
		}
	}

	private siteRooms(topic: OutboxTopic): string[] {
		const prefix = `${topic}|site:`;
		return [...this.io.of('/').adapter.rooms.keys()].filter((r) => r.startsWith(prefix));
	}

	/**
	 * Re-emits, in seq order, what the socket may see after `sinceSeq`, then catches up with live rows.
	 * `truncated` when rows after `sinceSeq` were pruned already, or more than `replayLimit` rows
	 * follow it: the client must reload its data, not trust the replay. A truncated answer sends no
	 * rows and moves the client to the newest seq this node relayed; live rows continue from there.
	 */
	async replay(socket: PbSocket, sinceSeq: number): Promise<ReplayAnswer> {
		this.replaying.add(socket.id);
		try {
			if ((await this.outbox.countAfter(sinceSeq, this.replayLimit + 1)) > this.replayLimit) {
				return { upTo: Math.max(sinceSeq, this.lastSeq), truncated: true };
			}
			const truncated = sinceSeq < (await this.outbox.prunedThrough());
			let upTo = sinceSeq;
			for (;;) {
				const rows = await this.outbox.after(upTo, BATCH);
				for (const row of rows) {
					if (wants(socket.data.sub, row) && mayReceive(socket.data.principal, row)) emitRow(socket, row);
					upTo = row.seq;
				}
				// Until we reach what the live relay has already sent, keep reading: after that, live takes over.
				if ((rows.length < BATCH && upTo >= this.lastSeq) || rows.length === 0) return truncated ? { upTo, truncated } : { upTo };
			}
		} finally {
			this.replaying.delete(socket.id);
		}
	}
}

type Emitter = Pick<PbSocket, 'emit'>;

function emitRow(target: Emitter | ReturnType<PbServer['to']>, row: OutboxRow): void {
	switch (row.topic) {
		case 'position':
			return void target.emit('position', { ...row.payload, seq: row.seq });
		case 'alert':
			return void target.emit('alert', { ...row.payload, seq: row.seq });
		case 'commitment':
			return void target.emit('commitment', { ...row.payload, seq: row.seq });
	}
}
