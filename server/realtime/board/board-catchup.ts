import type { Logger } from '../../logger.ts';
import type { BoardLogRepository } from '../../repositories/board-log.repository.ts';
import type { BoardDocuments } from '../yjs/board-documents.ts';
import type { RemoteOrigin } from '../yjs/board-documents.types.ts';
import type { RelayedUpdates } from './board-rescue.ts';

/** The origin of updates read back from the log: applied and broadcast, never saved or relayed again. */
export const CATCHUP_ORIGIN: RemoteOrigin = Object.freeze({ kind: 'catchup' });

export interface CatchupOptions {
	/** How often every loaded board is compared with its log (default 3 s): the safety net. */
	everyMs?: number;
	/** Rows read per query (default 1000). */
	batchRows?: number;
}

/**
 * Keeps this node's copy of each loaded board at least as new as the stored log, whatever the relay
 * dropped (Redis restarted, this node paused): per board, the highest log row applied here; rows
 * after it are read and applied (or the snapshot, when compaction folded rows past it). Applying an
 * update twice changes nothing, so re-reading this node's own rows is harmless.
 */
export class BoardCatchup {
	private readonly cursors = new Map<string, number>();
	private readonly runs = new Map<string, Promise<void>>();
	private readonly again = new Set<string>();
	private readonly everyMs: number;
	private readonly batchRows: number;
	private timer: NodeJS.Timeout | null = null;
	private closed = false;

	constructor(
		private readonly documents: BoardDocuments,
		private readonly boardLog: BoardLogRepository,
		private readonly log: Logger,
		opts: CatchupOptions = {},
		/** Told every row read back, and swept with the catch-up: relayed updates that never reached the log. */
		private readonly relayed: RelayedUpdates | null = null
	) {
		this.everyMs = opts.everyMs ?? 3000;
		this.batchRows = opts.batchRows ?? 1000;
	}

	attach(): () => void {
		const offs = [
			this.documents.onLoad(({ boardId }) => void this.cursors.set(boardId, this.documents.loadedUpTo(boardId) ?? 0)),
			this.documents.onUnload((boardId) => void this.cursors.delete(boardId))
		];
		this.timer = setInterval(() => void this.sweep(), this.everyMs);
		this.timer.unref();
		return () => offs.forEach((off) => off());
	}

	close(): void {
		this.closed = true;
		if (this.timer) clearInterval(this.timer);
	}

	/** Every loaded board (after the relay reconnects: whatever was published meanwhile is lost). */
	all(): void {
		for (const boardId of this.cursors.keys()) void this.catchUp(boardId);
	}

	/** Reads and applies the rows of `boardId` after its cursor; one run per board at a time. */
	catchUp(boardId: string): Promise<void> {
		const running = this.runs.get(boardId);
		if (running) {
			// Rows may have committed after the running read started: read once more after it.
			this.again.add(boardId);
			return running;
		}
		const run = this.read(boardId).finally(() => {
			this.runs.delete(boardId);
			if (this.again.delete(boardId) && !this.closed) void this.catchUp(boardId);
		});
		this.runs.set(boardId, run);
		return run;
	}

	/** Only boards whose log grew past the cursor are read: one cheap query covers every loaded board. */
	private async sweep(): Promise<void> {
		if (this.closed || this.cursors.size === 0) return;
		this.relayed?.sweep();
		try {
			const last = await this.boardLog.lastIds([...this.cursors.keys()]);
			for (const [boardId, lastId] of last) if (lastId > (this.cursors.get(boardId) ?? lastId)) void this.catchUp(boardId);
		} catch (err) {
			this.log.warn({ err }, 'checking boards against their logs failed');
		}
	}

	private async read(boardId: string): Promise<void> {
		try {
			for (;;) {
				const cursor = this.cursors.get(boardId);
				if (cursor === undefined || this.closed) return;
				const tail = await this.boardLog.tail(boardId, cursor, this.batchRows);
				// Unloaded meanwhile (or reloaded: the new copy has its own cursor).
				if (this.cursors.get(boardId) !== cursor) return;
				let next = cursor;
				if (tail.snapshot) {
					this.documents.applyRemote(boardId, tail.snapshot.state, CATCHUP_ORIGIN);
					this.relayed?.logged(boardId, tail.snapshot.state);
					next = tail.snapshot.uptoId;
				}
				for (const row of tail.rows) {
					this.documents.applyRemote(boardId, row.update, CATCHUP_ORIGIN);
					this.relayed?.logged(boardId, row.update);
					next = row.id;
				}
				this.cursors.set(boardId, next);
				if (tail.rows.length < this.batchRows) return;
			}
		} catch (err) {
			this.log.warn({ err, boardId }, 'catching up a board from its log failed; retrying on the next sweep');
		}
	}
}
