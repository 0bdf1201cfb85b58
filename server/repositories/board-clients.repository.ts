import type { Sql } from '../db/database.ts';

export interface BoardClientsRepository {
	/** Claims `clientId` on a board for `owner` unless someone holds it; returns the owner on record. */
	claim(boardId: string, clientId: number, owner: string): Promise<string>;
	/** The boards (other than `boardId`) that already hold commitments with these ids. */
	foreignCards(boardId: string, ids: string[]): Promise<Map<string, string>>;
}

export function createBoardClientsRepository(sql: Sql): BoardClientsRepository {
	return {
		async claim(boardId, clientId, owner) {
			// A claim racing ours commits after our statement's snapshot: the second try sees it.
			for (let attempt = 0; ; attempt++) {
				const [row] = await sql<{ owner: string }[]>`
				with ins as (
					insert into board_clients (board_id, client_id, owner) values (${boardId}, ${clientId}, ${owner})
					on conflict do nothing returning owner
				)
				select owner from ins
				union all
				select owner from board_clients where board_id = ${boardId} and client_id = ${clientId}
				limit 1`;
				if (row) return row.owner;
				if (attempt > 0) throw new Error(`client ${clientId} of board ${boardId} neither claimed nor found`);
			}
		},
		async foreignCards(boardId, ids) {
			if (ids.length === 0) return new Map();
			const rows = await sql<{ id: string; boardId: string }[]>`
				select id, board_id from commitments where id = any(${sql.array(ids)}::text[]) and board_id <> ${boardId}`;
			return new Map(rows.map((r) => [r.id, r.boardId]));
		}
	};
}
