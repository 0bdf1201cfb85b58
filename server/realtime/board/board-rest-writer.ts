import { cardOf, putCard, readCard, writeCardValues } from '../../../src/lib/contract/board/board-doc.ts';
import { cardToCommitment, changedValues, commitmentToCard, isComplete } from '../../../src/lib/contract/board/card-record.ts';
import type { Commitment } from '../../../src/lib/contract/commitments.ts';
import type { CommitmentBoard } from '../../services/commitments.service.ts';
import type { BoardDocuments } from '../yjs/board-documents.ts';
import { actorReason, type BoardProjection } from './board-projection.ts';

/**
 * REST writes land in the board document (so open boards see them at once) as a server change on
 * the caller's behalf. Acknowledged means durable: the answer waits until the change is in a
 * committed log row and the projection has stored that row, so the API returns the commitment as
 * stored. The caller's service has checked the field policy already.
 */
export class BoardRestWriter implements CommitmentBoard {
	constructor(
		private readonly documents: BoardDocuments,
		private readonly projection: BoardProjection
	) {}

	async apply(boardId: string, id: string, change: (current: Commitment | null) => Commitment, actor: string): Promise<void> {
		const lease = await this.documents.acquire(boardId);
		try {
			await this.documents.transact(boardId, (doc) => {
				const card = cardOf(doc, id);
				const values = card ? readCard(card) : null;
				const next = commitmentToCard(change(values && isComplete(values) ? cardToCommitment(boardId, id, values) : null));
				if (card && values) writeCardValues(card, changedValues(values, next));
				else putCard(doc, id, next);
			}, actorReason(actor));
			// Held loaded until saved: the flush resolves with the row holding this change (or later).
			const rowId = await this.documents.flush(boardId);
			if (rowId) await this.projection.projectThrough(boardId, rowId);
		} finally {
			lease.release();
		}
	}
}
