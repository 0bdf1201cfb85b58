import type { AdminToken } from '../../src/lib/contract/admin.ts';
import type { TokenScope } from '../../src/lib/policy/access.policy.ts';
import type { Sql } from '../db/database.ts';

export interface TokenRow {
	id: string;
	name: string;
	scope: TokenScope;
}

export class TokensRepository {
	constructor(private readonly sql: Sql) {}

	async create(t: { name: string; scope: TokenScope; tokenHash: string; createdBy: string | null }): Promise<string> {
		const [row] = await this.sql<{ id: string }[]>`
			insert into api_tokens (name, scope, token_hash, created_by)
			values (${t.name}, ${t.scope}, ${t.tokenHash}, ${t.createdBy})
			returning id
		`;
		return row.id;
	}

	async findLive(tokenHash: string): Promise<TokenRow | null> {
		const [row] = await this.sql<TokenRow[]>`
			select id, name, scope from api_tokens where token_hash = ${tokenHash} and revoked_at is null
		`;
		return row ?? null;
	}

	async isLive(id: string): Promise<boolean> {
		const [row] = await this.sql`select 1 from api_tokens where id = ${id} and revoked_at is null`;
		return Boolean(row);
	}

	/** The token this call revoked; null when it is unknown or was revoked before. */
	async revoke(id: string): Promise<{ name: string; scope: TokenScope } | null> {
		const [row] = await this.sql<{ name: string; scope: TokenScope }[]>`
			update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null returning name, scope
		`;
		return row ?? null;
	}

	/** Of these token ids, those not revoked. */
	async liveIds(ids: string[]): Promise<Set<string>> {
		if (ids.length === 0) return new Set();
		const rows = await this.sql<{ id: string }[]>`
			select id from api_tokens where id = any(${this.sql.array(ids)}::uuid[]) and revoked_at is null
		`;
		return new Set(rows.map((r) => r.id));
	}

	/** Every token, newest first; the hash never leaves this module. */
	async list(): Promise<AdminToken[]> {
		const rows = await this.sql<(Omit<AdminToken, 'createdAt' | 'revokedAt'> & { createdAt: Date; revokedAt: Date | null })[]>`
			select t.id, t.name, t.scope, u.email as created_by, t.created_at, t.revoked_at
			from api_tokens t left join users u on u.id = t.created_by
			order by t.created_at desc, t.id
		`;
		return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), revokedAt: r.revokedAt?.toISOString() ?? null }));
	}
}
