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

	async revoke(id: string): Promise<void> {
		await this.sql`update api_tokens set revoked_at = now() where id = ${id} and revoked_at is null`;
	}
}
