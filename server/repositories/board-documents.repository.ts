import type { Sql } from '../db/database.ts';

/** A board as stored: the snapshot (if any) and the updates appended after it, in id order. */
export interface StoredBoard {
	snapshot: Uint8Array | null;
	uptoId: number;
	updates: Uint8Array[];
	/** The highest log row id the snapshot and updates cover (0: nothing stored). */
	lastId: number;
}

/** Who changed which fields of which card in one saved batch: card id → field → actor label. */
export type ChangeAuthors = Record<string, Record<string, string>>;

/** Folds a snapshot and its later updates into one state (the caller owns the CRDT logic). */
export type FoldUpdates = (updates: Uint8Array[]) => Uint8Array;

/** What the board document registry needs from storage; tests and other backends may supply their own. */
export interface BoardDocumentStore {
	load(boardId: string): Promise<StoredBoard>;
	/** Appends one update durably (with who wrote what in it, if known) and returns its row id. */
	append(boardId: string, update: Uint8Array, authors?: ChangeAuthors | null): Promise<number>;
	/** Folds everything stored for the board into its snapshot; returns how many update rows were folded. */
	compact(boardId: string, fold: FoldUpdates): Promise<number>;
}

// Two-int advisory keys live apart from the one-bigint keys other modules use (pg_locks objsubid 2).
export const BOARD_LOG_LOCK_NAMESPACE = 0x5942;
const LOCK_NAMESPACE = BOARD_LOG_LOCK_NAMESPACE;

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
				const rows = await tx<{ id: number; update: Buffer }[]>`
					select id, update from board_updates
					where board_id = ${boardId} and id > ${uptoId}
					order by id`;
				return {
					snapshot: snap ? new Uint8Array(snap.state) : null,
					uptoId,
					updates: rows.map((r) => new Uint8Array(r.update)),
					lastId: rows.length ? Number(rows[rows.length - 1].id) : Number(uptoId)
				};
			});
		},

		async append(boardId, update, authors = null) {
			// The board's lock is taken before the row's id is drawn and held until commit, so one
			// board's rows become visible in id order: a reader that saw row n has seen every row
			// below it, which lets other nodes (catch-up) and the projection keep a plain "up to id"
			// cursor. It also keeps a compaction from folding past a row not committed yet.
			const [row] = await sql<{ id: number }[]>`
				insert into board_updates (board_id, update, authors)
				select ${boardId}, ${toBuffer(update)}, ${authors ? sql.json(authors as never) : null}
				from (select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${boardId}))) as lock
				returning id`;
			return Number(row.id);
		},

		async compact(boardId, fold) {
			return sql.begin(async (tx) => {
				await tx`select pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${boardId}))`;
				// Rows the projection has not read yet stay, so it still knows who wrote them; its
				// row is locked so a projection running now finishes (or waits) first. A board that
				// was never projected (a document server without the projection) folds everything.
				const [projected] = await tx<{ uptoId: number }[]>`
					select upto_id from board_projections where board_id = ${boardId} for update`;
				const foldUpTo = projected ? projected.uptoId : Number.MAX_SAFE_INTEGER;
				const [snap] = await tx<{ state: Buffer; uptoId: number }[]>`
					select state, upto_id from board_snapshots where board_id = ${boardId}`;
				const rows = await tx<{ id: number; update: Buffer }[]>`
					select id, update from board_updates
					where board_id = ${boardId} and id > ${snap?.uptoId ?? 0} and id <= ${foldUpTo}
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
