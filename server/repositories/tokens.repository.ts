import type { AdminToken } from '../../src/lib/contract/admin.ts';
import { DEFAULT_BOARD } from '../../src/lib/contract/board.ts';
import type { TokenScope } from '../../src/lib/policy/access.policy.ts';
import type { Sql } from '../db/database.ts';

export interface TokenRow {
	id: string;
	name: string;
	scope: TokenScope;
	/** The board of a display token, and that board's scope as it is now (null: every site). */
	board: string | null;
	boardSites: string[] | null;
}

export class TokensRepository {
	constructor(private readonly sql: Sql) {}

	/**
	 * A display token without a board is bound to the default board, as the migration bound those
	 * made before boards existed (callers in tests and benches predate boards); the admin API always names one.
	 */
	async create(t: { name: string; scope: TokenScope; tokenHash: string; createdBy: string | null; board?: string | null }): Promise<string> {
		const board = t.scope === 'display' ? (t.board ?? DEFAULT_BOARD) : null;
		const [row] = await this.sql<{ id: string }[]>`
			insert into api_tokens (name, scope, token_hash, created_by, board_id)
			values (${t.name}, ${t.scope}, ${t.tokenHash}, ${t.createdBy}, ${board})
			returning id
		`;
		return row.id;
	}

	async findLive(tokenHash: string): Promise<TokenRow | null> {
		const [row] = await this.sql<TokenRow[]>`
			select t.id, t.name, t.scope, t.board_id as board, b.sites as board_sites
			from api_tokens t left join boards b on b.id = t.board_id
			where t.token_hash = ${tokenHash} and t.revoked_at is null
		`;
		return row ?? null;
	}

	/** The token this call revoked; null when it is unknown or was revoked before. */
	async revoke(id: string): Promise<{ name: string; scope: TokenScope } | null> {
		const [row] = await this.sql<{ name: string; scope: TokenScope }[]>`
			update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null returning name, scope
		`;
		return row ?? null;
	}

	/** Of these token ids, those not revoked, each with its board's scope as it is now (null: every site or no board). */
	async liveIds(ids: string[]): Promise<Map<string, string[] | null>> {
		if (ids.length === 0) return new Map();
		const rows = await this.sql<{ id: string; sites: string[] | null }[]>`
			select t.id, b.sites from api_tokens t left join boards b on b.id = t.board_id
			where t.id = any(${this.sql.array(ids)}::uuid[]) and t.revoked_at is null
		`;
		return new Map(rows.map((r) => [r.id, r.sites]));
	}

	/** Every token, newest first; the hash never leaves this module. */
	async list(): Promise<AdminToken[]> {
		const rows = await this.sql<(Omit<AdminToken, 'createdAt' | 'revokedAt'> & { createdAt: Date; revokedAt: Date | null })[]>`
			select t.id, t.name, t.scope, t.board_id as board, u.email as created_by, t.created_at, t.revoked_at
			from api_tokens t left join users u on u.id = t.created_by
			order by t.created_at desc, t.id
		`;
		return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), revokedAt: r.revokedAt?.toISOString() ?? null }));
	}
}
