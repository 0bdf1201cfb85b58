import type { AdminSite, AdminSku } from '../../src/lib/contract/admin.ts';
import type { LifecycleStage } from '../../src/lib/contract/domain.ts';
import type { Sql, TxSql } from '../db/database.ts';
import type { PairKey } from './positions.repository.ts';

/** The catalog as admins edit it: sites, SKUs and per-site stock parameters. */
export class CatalogAdminRepository {
	constructor(private readonly sql: Sql) {}

	async listSites(): Promise<AdminSite[]> {
		return this.sql<AdminSite[]>`select code, name, time_zone, provisional from sites order by code`;
	}

	async existingSites(codes: string[], tx: Sql | TxSql = this.sql): Promise<string[]> {
		if (codes.length === 0) return [];
		const rows = await tx<{ code: string }[]>`select code from sites where code = any(${tx.array(codes)}::text[])`;
		return rows.map((r) => r.code);
	}

	/** An admin naming a site is the catalog speaking: it is no longer provisional. */
	async updateSite(tx: TxSql, code: string, c: { name?: string; timeZone?: string }): Promise<AdminSite | null> {
		const [row] = await tx<AdminSite[]>`
			update sites set name = coalesce(${c.name ?? null}, name), time_zone = coalesce(${c.timeZone ?? null}, time_zone),
				provisional = false
			where code = ${code}
			returning code, name, time_zone, provisional
		`;
		return row ?? null;
	}

	async listSkus(opts: { q?: string; limit: number; offset: number }): Promise<AdminSku[]> {
		const like = opts.q ? `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
		return this.sql<AdminSku[]>`
			select k.code, k.name, k.unit, k.lifecycle, k.lead_time_days, k.provisional,
				coalesce((
					select json_agg(json_build_object('site', ss.site, 'safetyStock', ss.safety_stock, 'reorderPoint', ss.reorder_point) order by ss.site)
					from sku_sites ss where ss.sku = k.code
				), '[]'::json) as sites
			from skus k
			where ${like ? this.sql`(k.code ilike ${like} or k.name ilike ${like})` : this.sql`true`}
			order by k.code
			limit ${opts.limit} offset ${opts.offset}
		`;
	}

	async updateSku(
		tx: TxSql,
		code: string,
		c: { name?: string; unit?: string; lifecycle?: LifecycleStage; leadTimeDays?: number | null }
	): Promise<boolean> {
		// leadTimeDays: undefined keeps it, null clears it (no known lead time), a number sets it.
		const rows = await tx`
			update skus set
				name = coalesce(${c.name ?? null}, name),
				unit = coalesce(${c.unit ?? null}, unit),
				lifecycle = coalesce(${c.lifecycle ?? null}, lifecycle),
				lead_time_days = ${c.leadTimeDays === undefined ? tx`lead_time_days` : tx`${c.leadTimeDays}`},
				provisional = false
			where code = ${code}
			returning code
		`;
		return rows.length > 0;
	}

	async upsertSkuSite(tx: TxSql, sku: string, site: string, p: { safetyStock: number; reorderPoint: number | null }): Promise<void> {
		await tx`
			insert into sku_sites (sku, site, safety_stock, reorder_point)
			values (${sku}, ${site}, ${p.safetyStock}, ${p.reorderPoint})
			on conflict (sku, site) do update set safety_stock = excluded.safety_stock, reorder_point = excluded.reorder_point
		`;
	}

	async skuExists(tx: TxSql, code: string): Promise<boolean> {
		const [row] = await tx`select 1 from skus where code = ${code}`;
		return Boolean(row);
	}

	/** Positions a catalog change can move (every known SKU×site pair of a SKU, or of a site). */
	async pairsOf(tx: TxSql, by: { sku?: string; site?: string }): Promise<PairKey[]> {
		return tx<PairKey[]>`
			select sku, site from positions
			where ${by.sku !== undefined ? tx`sku = ${by.sku}` : tx`true`} and ${by.site !== undefined ? tx`site = ${by.site}` : tx`true`}
			order by sku, site
		`;
	}
}
