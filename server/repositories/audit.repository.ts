import type { AuditEntry } from '../../src/lib/contract/admin.ts';
import type { Sql, TxSql } from '../db/database.ts';

/** Who did what, when: sign-ins, token and role changes. Append-only; nothing here updates a row. */
export class AuditRepository {
	constructor(private readonly sql: Sql) {}

	async record(actor: string | null, action: string, detail: Record<string, unknown>, tx: Sql | TxSql = this.sql): Promise<void> {
		await tx`insert into audit_log (actor, action, detail) values (${actor}, ${action}, ${tx.json(detail as never)})`;
	}

	/** Newest first; `before` pages backwards by id. */
	async list(opts: { limit: number; before?: number }): Promise<AuditEntry[]> {
		const rows = await this.sql<{ id: number; at: Date; actor: string | null; action: string; detail: Record<string, unknown> }[]>`
			select id, at, actor, action, detail from audit_log
			where ${opts.before ? this.sql`id < ${opts.before}` : this.sql`true`}
			order by id desc limit ${opts.limit}
		`;
		return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
	}
}
