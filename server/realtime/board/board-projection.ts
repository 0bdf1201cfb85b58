import * as Y from 'yjs';
import { cardOf, commitmentsOf, putCard, readCard } from '../../../src/lib/board/board-doc.ts';
import { cardToCommitment, commitmentToCard, isComplete, sameRecord } from '../../../src/lib/board/card-record.ts';
import type { CardValues } from '../../../src/lib/contract/board.ts';
import type { CommitmentWithRisk } from '../../../src/lib/contract/commitments.ts';
import { principalLabel } from '../../auth/principal.ts';
import type { Logger } from '../../logger.ts';
import type { BoardService, ProjectOutcome } from '../../services/board.service.ts';
import type { BoardDocuments } from '../yjs/board-documents.ts';
import { isConnectionOrigin, isServerOrigin, type DocumentChange } from '../yjs/board-documents.types.ts';
import { touchesOf, WHOLE_CARD } from './board-changes.ts';

/** Server writes on someone's behalf (REST) carry `by <label>` as their reason, for the history. */
export const actorReason = (label: string) => `by ${label}`;
export const BACKFILL_REASON = 'backfill';
const RECOVERED = 'board (recovered at load)';

function actorOf(origin: unknown): string | null {
	if (isConnectionOrigin(origin)) return principalLabel(origin.principal);
	if (isServerOrigin(origin) && origin.reason.startsWith('by ')) return origin.reason.slice(3);
	return null;
}

interface Pending {
	boardId: string;
	id: string;
	actors: Map<string, string>;
	since: number;
	timer: NodeJS.Timeout | null;
}

export interface ProjectionOptions {
	/** Quiet time after a card's last change before it is stored (default 150 ms). */
	debounceMs?: number;
	/** Longest a continuously edited card waits (default 1 s). */
	maxWaitMs?: number;
	retryMs?: number;
}

export type StoredListener = (boardId: string, id: string, card: CardValues | null, outcome: ProjectOutcome) => void;

/**
 * Keeps the commitments table in step with the board documents: every changed card is stored
 * (debounced per card, one store at a time per card) through the board service, which marks its
 * SKU×site pairs for recompute. A board that loads is compared with the table, so edits saved in
 * the document but not yet projected when a node died are stored then.
 */
export class BoardProjection {
	private readonly pending = new Map<string, Pending>();
	private readonly running = new Map<string, Promise<void>>();
	private readonly debounceMs: number;
	private readonly maxWaitMs: number;
	private readonly retryMs: number;
	private closed = false;

	constructor(
		private readonly documents: BoardDocuments,
		private readonly board: BoardService,
		private readonly onStored: StoredListener,
		private readonly log: Logger,
		opts: ProjectionOptions = {}
	) {
		this.debounceMs = opts.debounceMs ?? 150;
		this.maxWaitMs = opts.maxWaitMs ?? 1000;
		this.retryMs = opts.retryMs ?? 1000;
	}

	attach(): () => void {
		return this.documents.onChange((change) => this.observe(change));
	}

	/** Stores card `id` now if it has unstored changes; resolves when the table has them. */
	settle(boardId: string, id: string): Promise<void> {
		return this.flush(key(boardId, id));
	}

	/** Compares a freshly loaded board with its rows: projects what differs, backfills rows it lacks. */
	async reconcile(boardId: string, rows: CommitmentWithRisk[]): Promise<void> {
		const byId = new Map(rows.map((r) => [r.id, r]));
		const lease = await this.documents.acquire(boardId);
		try {
			for (const [id, card] of commitmentsOf(lease.document.doc).entries()) {
				const row = byId.get(id) ?? null;
				byId.delete(id);
				// Changed since it loaded: already on its way, with its real author.
				if (this.pending.has(key(boardId, id)) || this.running.has(key(boardId, id))) continue;
				const values = card instanceof Y.Map ? readCard(card) : null;
				if (!values || !isComplete(values) || sameRecord(row, cardToCommitment(boardId, id, values))) continue;
				this.schedule(boardId, id, new Set([WHOLE_CARD]), RECOVERED);
			}
		} finally {
			lease.release();
		}
		// Rows the document never had (seeded, or written before boards existed); a cancelled row
		// whose card is gone was deleted on the board and stays gone.
		const missing = [...byId.values()].filter((r) => r.status !== 'cancelled');
		if (missing.length === 0) return;
		await this.documents.transact(boardId, (doc) => {
			for (const r of missing) if (!cardOf(doc, r.id)) putCard(doc, r.id, commitmentToCard(r));
		}, BACKFILL_REASON);
		this.log.info({ boardId, rows: missing.length }, 'board backfilled from stored commitments');
	}

	/** Stores everything still pending (graceful shutdown). */
	async close(): Promise<void> {
		this.closed = true;
		await Promise.allSettled([...this.pending.keys()].map((k) => this.flush(k)));
		await Promise.allSettled([...this.running.values()]);
	}

	private observe({ boardId, doc, origin, transaction }: DocumentChange): void {
		if (origin === 'load' || (isServerOrigin(origin) && origin.reason === BACKFILL_REASON)) return;
		const actor = actorOf(origin);
		for (const [id, keys] of touchesOf(doc, transaction).cards) this.schedule(boardId, id, keys, actor);
	}

	private schedule(boardId: string, id: string, keys: Iterable<string>, actor: string | null, delay = this.debounceMs): void {
		const k = key(boardId, id);
		let p = this.pending.get(k);
		if (!p) this.pending.set(k, (p = { boardId, id, actors: new Map(), since: Date.now(), timer: null }));
		if (actor) for (const field of keys) p.actors.set(field, actor);
		if (this.closed) return;
		if (p.timer) clearTimeout(p.timer);
		const wait = Math.max(0, Math.min(delay, p.since + Math.max(this.maxWaitMs, delay) - Date.now()));
		p.timer = setTimeout(() => void this.flush(k).catch(() => {}), wait);
	}

	private flush(k: string): Promise<void> {
		const p = this.pending.get(k);
		if (!p) return this.running.get(k) ?? Promise.resolve();
		this.pending.delete(k);
		if (p.timer) clearTimeout(p.timer);
		const run = (this.running.get(k) ?? Promise.resolve()).catch(() => {}).then(() => this.store(p));
		const tracked = run.finally(() => {
			if (this.running.get(k) === tracked) this.running.delete(k);
		});
		this.running.set(k, tracked);
		return tracked;
	}

	private async store(p: Pending): Promise<void> {
		try {
			const lease = await this.documents.acquire(p.boardId);
			let card: CardValues | null;
			try {
				const found = cardOf(lease.document.doc, p.id);
				card = found ? readCard(found) : null;
			} finally {
				lease.release();
			}
			const outcome = await this.board.project(p.boardId, p.id, card, p.actors);
			this.onStored(p.boardId, p.id, card, outcome);
		} catch (err) {
			this.log.error({ err, boardId: p.boardId, id: p.id }, 'storing a board card failed; retrying');
			if (!this.closed) {
				for (const [field, actor] of p.actors) this.schedule(p.boardId, p.id, [field], actor, this.retryMs);
				if (p.actors.size === 0) this.schedule(p.boardId, p.id, [], null, this.retryMs);
			}
			throw err;
		}
	}
}

function key(boardId: string, id: string): string {
	return `${boardId}\u0000${id}`;
}
