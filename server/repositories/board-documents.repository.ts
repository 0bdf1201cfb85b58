import type { Sql } from '../db/database.ts';

/** A board as stored: the snapshot (if any) and the updates appended after it, in id order. */
export interface StoredBoard {
	snapshot: Uint8Array | null;
	uptoId: number;
	updates: Uint8Array[];
}

/** Folds a snapshot and its later updates into one state (the caller owns the CRDT logic). */
export type FoldUpdates = (updates: Uint8Array[]) => Uint8Array;

/** What the board document registry needs from storage; tests and other backends may supply their own. */
export interface BoardDocumentStore {
	load(boardId: string): Promise<StoredBoard>;
	/** Appends one update durably and returns its row id. */
	append(boardId: string, update: Uint8Array): Promise<number>;
	/** Folds everything stored for the board into its snapshot; returns how many update rows were folded. */
	compact(boardId: string, fold: FoldUpdates): Promise<number>;
}

// Two-int advisory keys live apart from the one-bigint keys other modules use (pg_locks objsubid 2).
const LOCK_NAMESPACE = 0x5942;

function toBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function createBoardDocumentsRepository(sql: Sql): BoardDocumentStore {
	return {
		async load(boardId) {
			// One repeatable-read snapshot: a compaction committing between the two reads would
			// otherwise leave us the old snapshot and only the updates after its new upto_id.
			return sql.begin('isolation level repeatable read', async (tx) => {
				const [snap] = await tx<{ state: Buffer; uptoId: number }[]>`
					select state, upto_id from board_snapshots where board_id = ${boardId}`;
				const uptoId = snap?.uptoId ?? 0;
				const rows = await tx<{ update: Buffer }[]>`
					select update from board_updates
					where board_id = ${boardId} and id > ${uptoId}
					order by id`;
				return {
					snapshot: snap ? new Uint8Array(snap.state) : null,
					uptoId,
					updates: rows.map((r) => new Uint8Array(r.update))
				};
			});
		},

		async append(boardId, update) {
			// The shared lock is taken before the row's id is drawn, so a compaction (exclusive lock)
			// never folds past an id whose row has not committed yet.
			const [row] = await sql<{ id: number }[]>`
				insert into board_updates (board_id, update)
				select ${boardId}, ${toBuffer(update)}
				from (select pg_advisory_xact_lock_shared(${LOCK_NAMESPACE}, hashtext(${boardId}))) as lock
				returning id`;
			return row.id;
		},

		async compact(boardId, fold) {
			return sql.begin(async (tx) => {
				await tx`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${boardId}))`;
				const [snap] = await tx<{ state: Buffer; uptoId: number }[]>`
					select state, upto_id from board_snapshots where board_id = ${boardId}`;
				const rows = await tx<{ id: number; update: Buffer }[]>`
					select id, update from board_updates
					where board_id = ${boardId} and id > ${snap?.uptoId ?? 0}
					order by id`;
				if (rows.length === 0) return 0;
				const parts = rows.map((r) => new Uint8Array(r.update));
				if (snap) parts.unshift(new Uint8Array(snap.state));
				const state = fold(parts);
				const uptoId = rows[rows.length - 1].id;
				await tx`
					insert into board_snapshots (board_id, state, upto_id)
					values (${boardId}, ${toBuffer(state)}, ${uptoId})
					on conflict (board_id) do update
					set state = excluded.state, upto_id = excluded.upto_id, updated_at = now()`;
				await tx`delete from board_updates where board_id = ${boardId} and id <= ${uptoId}`;
				return rows.length;
			});
		}
	};
}
