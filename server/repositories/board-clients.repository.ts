import type { Sql } from '../db/database.ts';

export interface BoardClientsRepository {
	/** Claims `clientId` on a board for `owner` unless someone holds it; returns the owner on record. */
	claim(boardId: string, clientId: number, owner: string): Promise<string>;
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
		}
	};
}
