import type * as Y from 'yjs';
import { cardOf, computedOf, readComputed, sameVerdict } from '../../../src/lib/contract/board/board-doc.ts';
import type { ComputedEntry } from '../../../src/lib/contract/board.ts';
import type { CommitmentWithRisk } from '../../../src/lib/contract/commitments.ts';
import type { Logger } from '../../logger.ts';
import type { BoardDocuments } from '../yjs/board-documents.ts';

export const COMPUTED_REASON = 'computed';

/** An engine verdict as the outbox carries it (topic `commitment`). */
export interface VerdictMessage extends ComputedEntry {
	id: string;
	board: string;
}

/**
 * Writes the engine's verdicts into the `computed` map of loaded boards, only when they changed.
 * Verdicts arriving together (one recompute covers every commitment of a SKU×site) are written in
 * one document transaction per board, so a board of thousands gets one update, not thousands.
 */
export class BoardComputed {
	private readonly queued = new Map<string, Map<string, ComputedEntry>>();
	private scheduled = false;

	constructor(
		private readonly documents: BoardDocuments,
		private readonly log: Logger
	) {}

	/** A verdict from the outbox; boards that are not loaded read it from the table when they load. */
	apply(msg: VerdictMessage): void {
		if (!this.documents.isLoaded(msg.board)) return;
		let board = this.queued.get(msg.board);
		if (!board) this.queued.set(msg.board, (board = new Map()));
		board.set(msg.id, { risk: msg.risk, shortQty: msg.shortQty, earliestDate: msg.earliestDate, checkedAt: msg.checkedAt });
		if (!this.scheduled) {
			this.scheduled = true;
			setImmediate(() => void this.flush());
		}
	}

	/** A board just loaded: its verdicts as stored, where the document's differ. */
	async fill(boardId: string, rows: CommitmentWithRisk[]): Promise<void> {
		const entries = new Map<string, ComputedEntry>();
		for (const r of rows) {
			entries.set(r.id, { risk: r.risk, shortQty: r.shortQty, earliestDate: r.earliestDate, checkedAt: r.checkedAt ? new Date(r.checkedAt).toISOString() : null });
		}
		await this.write(boardId, entries);
	}

	private async flush(): Promise<void> {
		this.scheduled = false;
		const boards = [...this.queued];
		this.queued.clear();
		await Promise.all(boards.map(([boardId, entries]) => this.write(boardId, entries)));
	}

	private async write(boardId: string, entries: Map<string, ComputedEntry>): Promise<void> {
		try {
			// A transaction that sets nothing emits no update: nothing is stored or broadcast.
			await this.documents.transact(boardId, (doc) => {
				for (const [id, entry] of entries) if (differs(doc, id, entry)) computedOf(doc).set(id, entry);
			}, COMPUTED_REASON);
		} catch (err) {
			this.log.error({ err, boardId }, 'writing risk verdicts into the board failed');
		}
	}
}

function differs(doc: Y.Doc, id: string, entry: ComputedEntry): boolean {
	return cardOf(doc, id) !== null && !sameVerdict(readComputed(computedOf(doc).get(id)), entry);
}
