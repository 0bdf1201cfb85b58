import type { Lane } from '../../src/lib/contract/options.ts';
import type { Sql, TxSql } from '../db/database.ts';

/** Transit days between sites (migration 00009). */
export class LanesRepository {
	constructor(private readonly sql: Sql) {}

	/** Every lane; with `sites`, those touching one of them (a SKU's options need only its own sites). */
	async list(sites: string[] | null = null, sql: Sql | TxSql = this.sql): Promise<Lane[]> {
		return sql<Lane[]>`
			select from_site, to_site, transit_days from lanes
			where ${sites ? sql`(from_site = any(${sql.array(sites)}::text[]) or to_site = any(${sql.array(sites)}::text[]))` : sql`true`}
			order by from_site, to_site
		`;
	}

	async upsert(tx: TxSql, lanes: Lane[]): Promise<void> {
		if (lanes.length === 0) return;
		await tx`
			insert into lanes (from_site, to_site, transit_days)
			select * from unnest(${tx.array(lanes.map((l) => l.fromSite))}::text[], ${tx.array(lanes.map((l) => l.toSite))}::text[],
				${tx.array(lanes.map((l) => l.transitDays))}::int[])
			on conflict (from_site, to_site) do update set transit_days = excluded.transit_days, updated_at = now()
		`;
	}

	async remove(tx: TxSql, fromSite: string, toSite: string): Promise<boolean> {
		const r = await tx`delete from lanes where from_site = ${fromSite} and to_site = ${toSite}`;
		return r.count > 0;
	}
}
