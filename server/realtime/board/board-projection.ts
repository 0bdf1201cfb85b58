import * as Y from 'yjs';
import { cardOf, commitmentsOf, computedOf, putCard, readCard } from '../../../src/lib/contract/board/board-doc.ts';
import { commitmentToCard } from '../../../src/lib/contract/board/card-record.ts';
import type { CardValues } from '../../../src/lib/contract/board.ts';
import type { CommitmentWithRisk } from '../../../src/lib/contract/commitments.ts';
import { principalLabel } from '../../auth/principal.ts';
import type { Logger } from '../../logger.ts';
import type { ChangeAuthors } from '../../repositories/board-documents.repository.ts';
import type { BoardLogRepository, LogTail } from '../../repositories/board-log.repository.ts';
import type { BoardService, CardState, ProjectOutcome } from '../../services/board.service.ts';
import type { BoardDocuments } from '../yjs/board-documents.ts';
import { isConnectionOrigin, isServerOrigin, type DocumentChange } from '../yjs/board-documents.types.ts';
import { touchesOf } from './board-changes.ts';

/** Server writes on someone's behalf (REST) carry `by <label>` as their reason, for the history. */
export const actorReason = (label: string) => `by ${label}`;
export const BACKFILL_REASON = 'backfill';

function actorOf(origin: unknown): string | null {
	if (isConnectionOrigin(origin)) return principalLabel(origin.principal);
	if (isServerOrigin(origin) && origin.reason.startsWith('by ')) return origin.reason.slice(3);
	return null;
}

/** Who changed which card fields in one change, as saved with its log row (the card history's actors). */
export function authorsOf({ doc, origin, transaction }: DocumentChange): ChangeAuthors | null {
	const actor = actorOf(origin);
	if (!actor) return null;
	const out: ChangeAuthors = Object.create(null) as ChangeAuthors;
	for (const [id, keys] of touchesOf(doc, transaction).cards) {
		const fields: Record<string, string> = Object.create(null) as Record<string, string>;
		for (const key of keys) fields[key] = actor;
		out[id] = fields;
	}
	return Object.keys(out).length ? out : null;
}

/** The log as the projection has read it: a document built from stored rows only, and its last row. */
interface Replica {
	doc: Y.Doc;
	appliedId: number;
	usedAt: number;
}

// A replica not used this long is dropped (it costs about what the board itself does); the next
// projection of its board rebuilds it from the snapshot and the rows after it.
const REPLICA_IDLE_MS = 60_000;

export interface ProjectionOptions {
	/** How often loaded boards are checked for rows nobody projected (a node died after saving; default 3 s). */
	everyMs?: number;
	/** Log rows read per transaction (default 500). */
	batchRows?: number;
	/** Wait after a save before projecting, so close saves go in one transaction (default 10 ms). */
	debounceMs?: number;
}

export type StoredListener = (boardId: string, id: string, card: CardValues | null, outcome: ProjectOutcome) => void;

/**
 * Keeps the commitments table in step with the boards' stored update logs — not with any node's
 * memory, which may be ahead of the log (unsaved edits) or behind it (missed relay messages).
 * Every node that holds a board projects after its own saves and now and then; the cursor row in
 * Postgres, locked for the whole transaction, makes each log row's effect land once and in order.
 * To tell which cards a stretch of rows changed, each node keeps a replica of the board built
 * from the log alone, applying rows it did not project itself silently.
 */
export class BoardProjection {
	private readonly replicas = new Map<string, Replica>();
	private readonly runs = new Map<string, Promise<number>>();
	private readonly queued = new Map<string, Promise<number>>();
	private readonly timers = new Map<string, NodeJS.Timeout>();
	private readonly everyMs: number;
	private readonly batchRows: number;
	private readonly debounceMs: number;
	private sweep: NodeJS.Timeout | null = null;
	private closed = false;

	constructor(
		private readonly documents: BoardDocuments,
		private readonly board: BoardService,
		private readonly boardLog: BoardLogRepository,
		private readonly onStored: StoredListener,
		private readonly log: Logger,
		opts: ProjectionOptions = {}
	) {
		this.everyMs = opts.everyMs ?? 3000;
		this.batchRows = opts.batchRows ?? 500;
		this.debounceMs = opts.debounceMs ?? 10;
	}

	attach(): () => void {
		this.documents.useAuthors(authorsOf);
		const offs = [
			this.documents.onSaved(({ boardId }) => this.schedule(boardId)),
			// Dropped with the board (a run in progress keeps its own reference); a later projection of
			// it (another node's rows) rebuilds it.
			this.documents.onUnload((boardId) => void this.replicas.delete(boardId))
		];
		this.sweep = setInterval(() => {
			this.dropIdleReplicas();
			void this.projectBehind();
		}, this.everyMs);
		this.sweep.unref();
		return () => {
			this.documents.useAuthors(null);
			offs.forEach((off) => off());
		};
	}

	/** Resolves once the log is projected through row `rowId` (a REST write waits for its own row). */
	async projectThrough(boardId: string, rowId: number): Promise<void> {
		// A run that started before the row committed may stop short of it: the next one cannot.
		for (let attempt = 0; attempt < 3; attempt++) if ((await this.run(boardId)) >= rowId) return;
		throw new Error(`board ${boardId}: log row ${rowId} is not projected`);
	}

	/** Compares a freshly loaded board with its rows: rows the document never had are backfilled into it. */
	async backfill(boardId: string, rows: CommitmentWithRisk[]): Promise<void> {
		const lease = await this.documents.acquire(boardId);
		let missing: CommitmentWithRisk[];
		try {
			const cards = commitmentsOf(lease.document.doc);
			// Seeded rows, or rows written before boards existed; a cancelled row whose card is gone
			// was deleted on the board and stays gone.
			missing = rows.filter((r) => r.status !== 'cancelled' && !cards.has(r.id));
		} finally {
			lease.release();
		}
		// The log may hold rows nobody projected yet (the node that saved them died): now, not later.
		this.schedule(boardId, 0);
		if (missing.length === 0) return;
		await this.documents.transact(boardId, (doc) => {
			for (const r of missing) if (!cardOf(doc, r.id)) putCard(doc, r.id, commitmentToCard(r));
		}, BACKFILL_REASON);
		this.log.info({ boardId, rows: missing.length }, 'board backfilled from stored commitments');
	}

	/** Projects what is saved (graceful shutdown); stops the timers. */
	async close(): Promise<void> {
		this.closed = true;
		if (this.sweep) clearInterval(this.sweep);
		for (const timer of this.timers.values()) clearTimeout(timer);
		const boards = new Set([...this.timers.keys(), ...this.runs.keys()]);
		this.timers.clear();
		await Promise.allSettled([...boards].map((b) => this.run(b)));
		this.replicas.clear();
	}

	private schedule(boardId: string, delay = this.debounceMs): void {
		if (this.closed || this.timers.has(boardId)) return;
		const timer = setTimeout(() => {
			this.timers.delete(boardId);
			this.run(boardId).catch(() => {});
		}, delay);
		this.timers.set(boardId, timer);
	}

	private dropIdleReplicas(): void {
		const now = Date.now();
		for (const [boardId, replica] of this.replicas) {
			if (now - replica.usedAt < REPLICA_IDLE_MS || this.runs.has(boardId)) continue;
			this.replicas.delete(boardId);
		}
	}

	/** The safety net: loaded boards whose log has unprojected rows (whoever saved them). */
	private async projectBehind(): Promise<void> {
		try {
			for (const boardId of await this.boardLog.behindProjection(this.documents.loadedBoards())) this.schedule(boardId, 0);
		} catch (err) {
			this.log.warn({ err }, 'looking for unprojected board rows failed');
		}
	}

	/** One run per board at a time; callers arriving during a run share the next one. */
	private run(boardId: string): Promise<number> {
		const waiting = this.queued.get(boardId);
		if (waiting) return waiting;
		const previous = this.runs.get(boardId);
		const next = (previous ?? Promise.resolve(0))
			.catch(() => 0)
			.then(() => {
				this.queued.delete(boardId);
				return this.projectAll(boardId);
			});
		if (previous) this.queued.set(boardId, next);
		const tracked = next.finally(() => {
			if (this.runs.get(boardId) === tracked) this.runs.delete(boardId);
		});
		this.runs.set(boardId, tracked);
		return tracked;
	}

	private async projectAll(boardId: string): Promise<number> {
		try {
			for (;;) {
				const run = await this.board.projectLog(boardId, (cursor, readTail) => this.plan(boardId, cursor, readTail));
				for (const s of run.stored) this.onStored(boardId, s.id, s.card, s.outcome);
				if (!run.more) {
					// Kept between runs only for boards this node holds.
					if (!this.documents.isLoaded(boardId)) this.replicas.delete(boardId);
					return run.uptoId;
				}
			}
		} catch (err) {
			// The transaction rolled back: the replica may hold rows the cursor does not count.
			this.replicas.delete(boardId);
			this.log.error({ err, boardId }, 'projecting the board log failed');
			if (!this.closed) this.schedule(boardId, 1000);
			throw err;
		}
	}

	private async plan(boardId: string, cursor: number, readTail: (afterId: number, limit: number) => Promise<LogTail>) {
		let replica = this.replicas.get(boardId);
		// Ahead of the cursor: a run of ours that did not commit. Those rows must count again.
		if (replica && replica.appliedId > cursor) replica = undefined;
		replica ??= { doc: replicaDoc(), appliedId: 0, usedAt: 0 };
		replica.usedAt = Date.now();
		this.replicas.set(boardId, replica);

		const tail = await readTail(replica.appliedId, this.batchRows);
		const touched = new Map<string, Map<string, string>>();
		if (tail.snapshot) {
			// Rows folded past what the replica has: the snapshot holds them. It counts as changes
			// only past the cursor (a board never projected before, or projected by an older version).
			applyRow(replica.doc, tail.snapshot.state, tail.snapshot.uptoId > cursor ? touched : null, null, this.log, boardId);
			replica.appliedId = tail.snapshot.uptoId;
		}
		for (const row of tail.rows) {
			applyRow(replica.doc, row.update, row.id > cursor ? touched : null, row.authors, this.log, boardId);
			replica.appliedId = row.id;
		}
		const cards: CardState[] = [];
		for (const [id, actors] of touched) {
			const found = cardOf(replica.doc, id);
			cards.push({ id, card: found ? readCard(found) : null, actors });
		}
		return { uptoId: Math.max(cursor, replica.appliedId), cards, more: tail.rows.length >= this.batchRows };
	}
}

/**
 * A document for the log replica. Its root types are declared first: Yjs would otherwise integrate
 * the first row into placeholder types and swap them for maps later, and the swapped-out instances
 * are what that row's transaction reports as changed.
 */
function replicaDoc(): Y.Doc {
	const doc = new Y.Doc();
	commitmentsOf(doc);
	computedOf(doc);
	return doc;
}

/** Applies one stored row; with `touched`, records the cards it changed and who changed which field. */
function applyRow(
	doc: Y.Doc,
	update: Uint8Array,
	touched: Map<string, Map<string, string>> | null,
	authors: ChangeAuthors | null,
	log: Logger,
	boardId: string
): void {
	const observe = (transaction: Y.Transaction) => {
		for (const [id, keys] of touchesOf(doc, transaction).cards) {
			let actors = touched!.get(id);
			if (!actors) touched!.set(id, (actors = new Map()));
			const known = authors && Object.hasOwn(authors, id) ? authors[id] : null;
			for (const key of keys) {
				const actor = known && Object.hasOwn(known, key) ? known[key] : null;
				if (actor) actors.set(key, actor);
			}
			// A field changed through a nested type is attributed under the card as a whole.
			if (known) for (const [key, actor] of Object.entries(known)) if (!actors.has(key)) actors.set(key, actor);
		}
	};
	if (touched) doc.on('afterTransaction', observe);
	try {
		Y.applyUpdate(doc, update);
	} catch (err) {
		// Like a load: a broken row is skipped (and kept; compaction refuses to fold it).
		log.error({ err, boardId }, 'stored board update does not apply');
	} finally {
		if (touched) doc.off('afterTransaction', observe);
	}
}
