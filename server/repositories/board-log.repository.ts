import type { Sql, TxSql } from '../db/database.ts';
import type { ChangeAuthors } from './board-documents.repository.ts';

/** One stored row of a board's update log. */
export interface LogRow {
	id: number;
	update: Uint8Array;
	authors: ChangeAuthors | null;
}

/**
 * What a reader that has applied a board's log up to some id still lacks: the snapshot when a
 * compaction folded rows past that id (null otherwise), then the rows after it, in id order.
 */
export interface LogTail {
	snapshot: { state: Uint8Array; uptoId: number } | null;
	rows: LogRow[];
}

/**
 * Reads of the board update log by cursor (catch-up of a node's copy, the projection into the
 * commitments table) and the projection's cursor. Appends put one board's rows in id order (see
 * the board documents repository), so "everything after id n" is a sound cursor.
 */
export class BoardLogRepository {
	constructor(private readonly sql: Sql) {}

	/** The newest row id of each board in `boardIds` (0 when nothing was ever stored). */
	async lastIds(boardIds: string[]): Promise<Map<string, number>> {
		if (boardIds.length === 0) return new Map();
		const rows = await this.sql<{ boardId: string; lastId: number }[]>`
			select b.board_id, greatest(
				coalesce((select max(id) from board_updates u where u.board_id = b.board_id), 0),
				coalesce((select upto_id from board_snapshots s where s.board_id = b.board_id), 0)) as last_id
			from unnest(${this.sql.array(boardIds)}::text[]) as b(board_id)`;
		return new Map(rows.map((r) => [r.boardId, r.lastId]));
	}

	/** Everything after `afterId`, read in one snapshot so a compaction cannot fall between two reads. */
	async tail(boardId: string, afterId: number, limit = 1000): Promise<LogTail> {
		return this.sql.begin('isolation level repeatable read', (tx) => readTail(tx, boardId, afterId, limit));
	}

	/** tail() inside the projection's transaction (which holds the cursor row, so no compaction runs). */
	tailIn(tx: TxSql, boardId: string, afterId: number, limit: number): Promise<LogTail> {
		return readTail(tx, boardId, afterId, limit);
	}

	/** The projection cursor of a board, locked until the transaction ends (created at 0 if missing). */
	async lockProjection(tx: TxSql, boardId: string): Promise<number> {
		await tx`insert into board_projections (board_id) values (${boardId}) on conflict (board_id) do nothing`;
		const [row] = await tx<{ uptoId: number }[]>`select upto_id from board_projections where board_id = ${boardId} for update`;
		return row.uptoId;
	}

	async advanceProjection(tx: TxSql, boardId: string, uptoId: number): Promise<void> {
		await tx`update board_projections set upto_id = ${uptoId}, updated_at = now() where board_id = ${boardId}`;
	}

	/** Boards among `boardIds` whose log has rows the projection has not read (a cheap, lock-free look). */
	async behindProjection(boardIds: string[]): Promise<string[]> {
		if (boardIds.length === 0) return [];
		const rows = await this.sql<{ boardId: string }[]>`
			select b.board_id from unnest(${this.sql.array(boardIds)}::text[]) as b(board_id)
			where exists (
				select 1 from board_updates u
				where u.board_id = b.board_id
					and u.id > coalesce((select upto_id from board_projections p where p.board_id = b.board_id), 0))`;
		return rows.map((r) => r.boardId);
	}
}

async function readTail(tx: TxSql, boardId: string, afterId: number, limit: number): Promise<LogTail> {
	const [snap] = await tx<{ state: Buffer; uptoId: number }[]>`
		select state, upto_id from board_snapshots where board_id = ${boardId} and upto_id > ${afterId}`;
	const from = snap ? snap.uptoId : afterId;
	const rows = await tx<{ id: number; update: Buffer; authors: ChangeAuthors | null }[]>`
		select id, update, authors from board_updates
		where board_id = ${boardId} and id > ${from}
		order by id limit ${limit}`;
	return {
		snapshot: snap ? { state: new Uint8Array(snap.state), uptoId: snap.uptoId } : null,
		rows: rows.map((r) => ({ id: r.id, update: new Uint8Array(r.update), authors: r.authors }))
	};
}
