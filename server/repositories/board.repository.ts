import type { CommitmentHistoryEntry } from '../../src/lib/contract/board.ts';
import type { CommitmentWithRisk } from '../../src/lib/contract/commitments.ts';
import type { Sql, TxSql } from '../db/database.ts';

export interface HistoryRecord {
	commitmentId: string;
	boardId: string;
	actor: string;
	kind: CommitmentHistoryEntry['kind'];
	field: string | null;
	oldValue: string | null;
	newValue: string | null;
}

/** What the board projection reads and writes besides the commitment rows themselves. */
export class BoardRepository {
	constructor(private readonly sql: Sql) {}

	/** Every stored commitment of a board with its verdict: compared with the document when it loads. */
	async boardRows(boardId: string): Promise<CommitmentWithRisk[]> {
		return this.sql<CommitmentWithRisk[]>`
			select id, board_id as board, customer, sku, qty, requested_date, promised_date, site, status, owner, priority,
				notes, risk, short_qty, earliest_date, checked_at
			from commitments where board_id = ${boardId} order by id
		`;
	}

	async insertHistory(sql: Sql | TxSql, records: HistoryRecord[]): Promise<void> {
		if (records.length === 0) return;
		await sql`insert into commitment_history ${sql(
			records.map((r) => ({ ...r })),
			'commitmentId', 'boardId', 'actor', 'kind', 'field', 'oldValue', 'newValue'
		)}`;
	}

	async history(commitmentId: string, limit = 200): Promise<CommitmentHistoryEntry[]> {
		const rows = await this.sql<(Omit<CommitmentHistoryEntry, 'at'> & { at: Date })[]>`
			select at, actor, kind, field, old_value, new_value from commitment_history
			where commitment_id = ${commitmentId} order by id desc limit ${limit}
		`;
		return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
	}
}
