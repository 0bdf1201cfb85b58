import { Mutex } from 'async-mutex';
import * as Y from 'yjs';
import type { Logger } from '../../logger.ts';
import type { BoardDocumentStore, ChangeAuthors } from '../../repositories/board-documents.repository.ts';

export interface WriterOptions {
	flushDelayMs: number;
	retryBaseMs: number;
	retryMaxMs: number;
	compactAfterUpdates: number;
}

/** Replays a snapshot and updates into a fresh document: GC collapses deleted content. */
export function foldUpdates(updates: Uint8Array[]): Uint8Array {
	const doc = new Y.Doc();
	try {
		doc.transact(() => {
			for (const update of updates) Y.applyUpdate(doc, update);
		});
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}

export interface SaverEvents {
	/** The row id of every batch once it is committed. */
	onSaved?(rowId: number): void;
	/** Saving started failing, or recovered (clients show "not saved — retrying"). */
	onFailingChange?(failing: boolean): void;
}

/**
 * Durable, batched persistence of one document's updates. Accepted updates wait here at most
 * `flushDelayMs`, then go to Postgres as one merged row; a failed save keeps them and retries with
 * backoff, so an outage costs latency and memory, never edits.
 */
export class BoardUpdateSaver {
	private buffer: Uint8Array[] = [];
	// Who wrote what in the buffered updates; saved with them (later writers of a field win).
	private authors: ChangeAuthors | null = null;
	/** The id of the last row this saver stored (0: none yet). */
	lastSavedId = 0;
	private saving = 0;
	/** Bytes of updates not durably saved yet (buffered or being saved). */
	unsavedBytes = 0;
	/** Since when saving has been failing, or null. */
	failingSince: Date | null = null;
	private timer: NodeJS.Timeout | null = null;
	private failures = 0;
	private stopped = false;
	private compacting = false;
	// Flushes and compactions of one board never overlap (and keep row order = arrival order).
	private readonly mutex = new Mutex();
	// Updates pushed and saved so far, and who waits for a count to be saved (whenSaved).
	private pushedCount = 0;
	private savedCount = 0;
	private waiters: { upto: number; resolve: () => void }[] = [];

	constructor(
		private readonly boardId: string,
		private readonly store: BoardDocumentStore,
		private readonly options: WriterOptions,
		private readonly log: Logger,
		/** Update rows stored after the snapshot; drives compaction. */
		public rowsSinceSnapshot: number,
		private readonly events: SaverEvents = {}
	) {}

	/** Updates not durably saved yet, including a batch being saved right now. */
	get pendingUpdates(): number {
		return this.buffer.length + this.saving;
	}

	get failing(): boolean {
		return this.failures > 0;
	}

	push(update: Uint8Array, authors: ChangeAuthors | null = null): void {
		this.buffer.push(update);
		this.pushedCount++;
		this.unsavedBytes += update.byteLength;
		if (authors) this.authors = mergeAuthors(this.authors, authors);
		// While failing, the backoff timer is already set; a new update must not hammer the database.
		if (!this.timer && !this.stopped) this.schedule(this.options.flushDelayMs);
	}

	/**
	 * Saves everything buffered so far and resolves with the id of the last row stored (which holds
	 * every update pushed before the call); rejects (keeping the updates) if the store fails.
	 */
	async flush(): Promise<number> {
		await this.mutex.runExclusive(async () => {
			this.clearTimer();
			if (this.buffer.length === 0) return;
			const batch = this.buffer;
			const authors = this.authors;
			this.buffer = [];
			this.authors = null;
			this.saving = batch.length;
			let rowId: number;
			try {
				rowId = await this.store.append(this.boardId, batch.length === 1 ? batch[0] : Y.mergeUpdates(batch), authors);
			} catch (err) {
				this.saving = 0;
				this.buffer = batch.concat(this.buffer);
				this.authors = authors && this.authors ? mergeAuthors(authors, this.authors) : (authors ?? this.authors);
				this.failures++;
				if (this.failures === 1) {
					this.failingSince = new Date();
					this.events.onFailingChange?.(true);
				}
				const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (this.failures - 1));
				this.log.error({ err, boardId: this.boardId, updates: this.buffer.length, retryInMs: delay }, 'saving board updates failed');
				if (!this.stopped) this.schedule(delay);
				throw err;
			}
			this.saving = 0;
			this.unsavedBytes -= batch.reduce((n, u) => n + u.byteLength, 0);
			this.lastSavedId = rowId;
			this.savedCount += batch.length;
			this.waiters = this.waiters.filter((w) => (w.upto <= this.savedCount ? (w.resolve(), false) : true));
			this.events.onSaved?.(rowId);
			const recovered = this.failures > 0;
			this.failures = 0;
			if (recovered) {
				this.log.info({ boardId: this.boardId }, 'saving board updates recovered');
				this.failingSince = null;
				this.events.onFailingChange?.(false);
			}
			this.rowsSinceSnapshot++;
			if (this.buffer.length > 0 && !this.stopped) this.schedule(this.options.flushDelayMs);
		});
		if (this.rowsSinceSnapshot > this.options.compactAfterUpdates && !this.compacting) {
			this.compact().catch(() => {});
		}
		return this.lastSavedId;
	}

	/** Folds the stored rows into the snapshot; the live document is not involved. */
	async compact(): Promise<number> {
		this.compacting = true;
		try {
			return await this.mutex.runExclusive(async () => {
				try {
					const folded = await this.store.compact(this.boardId, foldUpdates);
					this.rowsSinceSnapshot = 0;
					this.log.debug({ boardId: this.boardId, folded }, 'board compacted');
					return folded;
				} catch (err) {
					this.log.error({ err, boardId: this.boardId }, 'board compaction failed');
					throw err;
				}
			});
		} finally {
			this.compacting = false;
		}
	}

	/** Resolves once every update pushed so far is stored (however many retries that takes). */
	whenSaved(): Promise<void> {
		if (this.savedCount >= this.pushedCount || this.stopped) return Promise.resolve();
		return new Promise((resolve) => this.waiters.push({ upto: this.pushedCount, resolve }));
	}

	/** Stops timers; buffered updates stay readable for a final flush. Nobody is left waiting. */
	stop(): void {
		this.stopped = true;
		this.clearTimer();
		this.waiters.forEach((w) => w.resolve());
		this.waiters = [];
	}

	private schedule(delayMs: number): void {
		this.clearTimer();
		this.timer = setTimeout(() => {
			this.timer = null;
			this.flush().catch(() => {});
		}, delayMs);
	}

	private clearTimer(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}

/** `later` over `earlier`, per card and field (a copy; neither argument changes). */
function mergeAuthors(earlier: ChangeAuthors | null, later: ChangeAuthors): ChangeAuthors {
	const out: ChangeAuthors = Object.create(null) as ChangeAuthors;
	for (const source of [earlier, later]) {
		for (const [card, fields] of Object.entries(source ?? {})) out[card] = Object.assign(out[card] ?? Object.create(null), fields);
	}
	return out;
}
