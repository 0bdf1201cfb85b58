import { cardToCommitment, diffRecords, isComplete, sameRecord } from '../../src/lib/board/card-record.ts';
import type { CardValues, CommitmentHistoryEntry } from '../../src/lib/contract/board.ts';
import type { Commitment, CommitmentWithRisk } from '../../src/lib/contract/commitments.ts';
import { canSeeSite, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { BoardClientsRepository } from '../repositories/board-clients.repository.ts';
import type { BoardRepository, HistoryRecord } from '../repositories/board.repository.ts';
import type { CommitmentsRepository } from '../repositories/commitments.repository.ts';
import type { Sql } from '../db/database.ts';
import type { BoardsService } from './boards.service.ts';
import type { CommitmentsService } from './commitments.service.ts';
import { NotFoundError } from './errors.ts';

/** Who changed which field of a card since it was last stored (field → principal label). */
export type FieldActors = ReadonlyMap<string, string>;

export type ProjectOutcome = 'stored' | 'unchanged' | 'incomplete';

const MAX_VALUE_CHARS = 500;

/**
 * The relational side of the board documents: stores a card as the engine's commitment row (with a
 * history record per changed field) and answers the card history.
 */
export class BoardService {
	constructor(
		private readonly sql: Sql,
		private readonly repos: { board: BoardRepository; boardClients: BoardClientsRepository; commitments: CommitmentsRepository },
		private readonly commitments: CommitmentsService,
		private readonly boards: Pick<BoardsService, 'open'>
	) {}

	boardRows(boardId: string): Promise<CommitmentWithRisk[]> {
		return this.repos.board.boardRows(boardId);
	}

	/**
	 * Stores card `id` of `boardId` as it now is in the document; `card` null means it was deleted from
	 * the document (an admin's doing), which cancels it. Incomplete cards are left for later.
	 */
	async project(boardId: string, id: string, card: CardValues | null, actors: FieldActors, fallbackActor = 'board'): Promise<ProjectOutcome> {
		if (card && !isComplete(card)) return 'incomplete';
		const actorOf = (field: string | null) => (field && actors.get(field)) || actors.values().next().value || fallbackActor;
		const stored = await this.commitments.writeLocked(id, async (tx, before) => {
			let after: Commitment;
			if (card) after = cardToCommitment(boardId, id, card);
			else if (before && before.status !== 'cancelled') after = { ...before, status: 'cancelled' };
			else return null;
			if (sameRecord(before, after)) return null;
			const records: HistoryRecord[] = before
				? diffRecords(before, after).map((c) => record(id, boardId, actorOf(c.field), 'change', c.field, c.from, c.to))
				: [record(id, boardId, actorOf(null), 'create', null, null, summary(after))];
			await this.repos.board.insertHistory(tx, records);
			return after;
		});
		return stored ? 'stored' : 'unchanged';
	}

	/** A refused board edit: kept in the history of the cards it named, so everyone can see it. */
	async recordRefusal(boardId: string, ids: string[], actor: string, reasons: string[]): Promise<void> {
		const existing = [...(await this.repos.commitments.getMany(ids)).values()].filter((c) => c.board === boardId);
		if (existing.length === 0) return;
		await this.repos.board.insertHistory(this.sql, existing.map((c) => record(c.id, boardId, actor, 'refused', null, null, reasons.join('; '))));
	}

	/** Claims a Yjs client id of a board for an owner (see BoardGate); resolves to the owner on record. */
	claimClient(boardId: string, clientId: number, owner: string): Promise<string> {
		return this.repos.boardClients.claim(boardId, clientId, owner);
	}

	async history(p: Principal, id: string): Promise<CommitmentHistoryEntry[]> {
		const row = await this.repos.commitments.get(this.sql, id);
		if (row?.site && !canSeeSite(p, row.site)) throw new NotFoundError(`no commitment ${id}`);
		// A card's history is part of its board: whoever may not open the board may not read it.
		if (row) await this.boards.open(p, row.board);
		return this.repos.board.history(id);
	}
}

function record(commitmentId: string, boardId: string, actor: string, kind: HistoryRecord['kind'], field: string | null, from: unknown, to: unknown): HistoryRecord {
	return { commitmentId, boardId, actor, kind, field, oldValue: text(from), newValue: text(to) };
}

function text(v: unknown): string | null {
	if (v === null || v === undefined) return null;
	const s = typeof v === 'string' ? v : JSON.stringify(v);
	return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
}

function summary(c: Commitment): string {
	return `${c.qty} × ${c.sku} for ${c.customer}, requested ${c.requestedDate}`;
}
