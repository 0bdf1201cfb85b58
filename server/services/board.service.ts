import { cardToCommitment, diffRecords, isComplete, sameRecord } from '../../src/lib/contract/board/card-record.ts';
import type { CardValues, CommitmentHistoryEntry } from '../../src/lib/contract/board.ts';
import type { Commitment, CommitmentWithRisk } from '../../src/lib/contract/commitments.ts';
import { canSeeSite, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { BoardClientsRepository } from '../repositories/board-clients.repository.ts';
import type { BoardRepository, HistoryRecord } from '../repositories/board.repository.ts';
import type { BoardLogRepository, LogTail } from '../repositories/board-log.repository.ts';
import type { PairKey } from '../repositories/pair-key.ts';
import type { CommitmentsRepository } from '../repositories/commitments.repository.ts';
import type { Sql, TxSql } from '../db/database.ts';
import type { BoardsService } from './boards.service.ts';
import type { CommitmentsService } from './commitments.service.ts';
import { NotFoundError } from './errors.ts';

/** Who changed which field of a card since it was last stored (field → principal label). */
export type FieldActors = ReadonlyMap<string, string>;

export type ProjectOutcome = 'stored' | 'unchanged' | 'incomplete';

/** A card as the log left it after some rows (null: gone from the document), with who changed it. */
export interface CardState {
	id: string;
	card: CardValues | null;
	actors: FieldActors;
}

/**
 * The projection's reading of a board's log, run under the board's cursor lock: given the cursor
 * and a reader of the log after any id, it names the cards those rows changed and how far it read.
 */
export type ProjectionPlanner = (
	cursor: number,
	readTail: (afterId: number, limit: number) => Promise<LogTail>
) => Promise<{ uptoId: number; cards: CardState[]; more: boolean }>;

export interface ProjectionRun {
	uptoId: number;
	/** Rows after uptoId remain (the planner reads in batches). */
	more: boolean;
	stored: { id: string; card: CardValues | null; outcome: ProjectOutcome }[];
}

const MAX_VALUE_CHARS = 500;
/** An actor recorded for the whole card (it was created or replaced) stands for every field. */
const WHOLE_CARD = '*';

/**
 * The relational side of the board documents: stores a card as the engine's commitment row (with a
 * history record per changed field) and answers the card history.
 */
export class BoardService {
	constructor(
		private readonly sql: Sql,
		private readonly repos: { board: BoardRepository; boardClients: BoardClientsRepository; boardLog: BoardLogRepository; commitments: CommitmentsRepository },
		private readonly commitments: CommitmentsService,
		private readonly boards: Pick<BoardsService, 'open'>
	) {}

	boardRows(boardId: string): Promise<CommitmentWithRisk[]> {
		return this.repos.board.boardRows(boardId);
	}

	/**
	 * Projects the next stretch of a board's update log into the commitments table, exactly once:
	 * the cursor row stays locked from reading it to advancing it, in the same transaction as the
	 * commitment rows and their history, so however many nodes try, each row is projected by one
	 * of them, after the rows before it.
	 */
	async projectLog(boardId: string, plan: ProjectionPlanner): Promise<ProjectionRun> {
		const pairs: (PairKey | null)[] = [];
		const run = await this.sql.begin(async (tx): Promise<ProjectionRun> => {
			const cursor = await this.repos.boardLog.lockProjection(tx, boardId);
			const planned = await plan(cursor, (afterId, limit) => this.repos.boardLog.tailIn(tx, boardId, afterId, limit));
			if (planned.uptoId <= cursor) return { uptoId: cursor, more: planned.more, stored: [] };
			const stored: ProjectionRun['stored'] = [];
			// Id order: the row locks of two boards' projections are always taken in one order.
			for (const c of [...planned.cards].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
				const { outcome, pairs: touched } = await this.storeCard(tx, boardId, c.id, c.card, c.actors);
				pairs.push(...touched);
				stored.push({ id: c.id, card: c.card, outcome });
			}
			await this.repos.boardLog.advanceProjection(tx, boardId, planned.uptoId);
			return { uptoId: planned.uptoId, more: planned.more, stored };
		});
		// Not awaited: with Redis away the enqueue waits for it, and the pairs are marked dirty in the
		// transaction above, so the sweep recomputes them if this enqueue is lost.
		if (pairs.length) void this.commitments.recompute(pairs);
		return run;
	}

	/**
	 * Stores card `id` of `boardId` as the log left it; `card` null means it is gone from the
	 * document (an admin's doing), which cancels it. Incomplete cards are left for later.
	 */
	private async storeCard(
		tx: TxSql,
		boardId: string,
		id: string,
		card: CardValues | null,
		actors: FieldActors,
		fallbackActor = 'board'
	): Promise<{ outcome: ProjectOutcome; pairs: (PairKey | null)[] }> {
		if (card && !isComplete(card)) return { outcome: 'incomplete', pairs: [] };
		const actorOf = (field: string | null) =>
			(field && actors.get(field)) || actors.get(WHOLE_CARD) || actors.values().next().value || fallbackActor;
		const { stored, pairs } = await this.commitments.writeLockedIn(tx, id, async (tx, before) => {
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
		return { outcome: stored ? 'stored' : 'unchanged', pairs };
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
