import type { Sql, TxSql } from '../db/database.ts';
import { pairKey } from './pair-key.ts';

export interface SiteRow {
	code: string;
	name: string;
	timeZone: string;
	provisional: boolean;
}

export interface SkuSiteParams {
	sku: string;
	site: string;
	name: string;
	unit: string;
	leadTimeDays: number | null;
	safetyStock: number;
	reorderPoint: number | null;
	timeZone: string;
	provisional: boolean;
}

export class CatalogRepository {
	constructor(private readonly sql: Sql) {}

	/** Unknown codes are registered on the fly, flagged provisional, never dropped (CONTRACT.md). */
	async registerUnknown(tx: TxSql, skus: string[], sites: string[]): Promise<void> {
		if (sites.length) {
			await tx`
				insert into sites (code, name, provisional)
				select code, code, true from unnest(${tx.array(sites)}::text[]) as code
				order by code
				on conflict (code) do nothing
			`;
		}
		if (skus.length) {
			await tx`
				insert into skus (code, name, provisional)
				select code, code, true from unnest(${tx.array(skus)}::text[]) as code
				order by code
				on conflict (code) do nothing
			`;
		}
	}

	async listSites(): Promise<SiteRow[]> {
		return this.sql<SiteRow[]>`select code, name, time_zone, provisional from sites order by code`;
	}

	/** skuSiteParams for several pairs in one round trip, keyed `sku\0site`. */
	async paramsFor(tx: TxSql, keys: { sku: string; site: string }[]): Promise<Map<string, SkuSiteParams>> {
		const rows = await tx<SkuSiteParams[]>`
			select q.sku, q.site, coalesce(k.name, q.sku) as name, coalesce(k.unit, 'ea') as unit,
				k.lead_time_days, coalesce(ss.safety_stock, 0) as safety_stock, ss.reorder_point,
				coalesce(s.time_zone, 'UTC') as time_zone, coalesce(k.provisional, true) as provisional
			from unnest(${tx.array(keys.map((k) => k.sku))}::text[], ${tx.array(keys.map((k) => k.site))}::text[]) as q(sku, site)
			left join skus k on k.code = q.sku
			left join sites s on s.code = q.site
			left join sku_sites ss on ss.sku = q.sku and ss.site = q.site
		`;
		return new Map(rows.map((r) => [pairKey(r), r]));
	}

	/** Parameters the engine needs for one SKU×site; catalog gaps come back as nulls and zeros. */
	async skuSiteParams(sku: string, site: string, sql: Sql | TxSql = this.sql): Promise<SkuSiteParams> {
		const [row] = await sql<SkuSiteParams[]>`
			select q.sku, q.site, coalesce(k.name, ${sku}) as name, coalesce(k.unit, 'ea') as unit,
				k.lead_time_days, coalesce(ss.safety_stock, 0) as safety_stock, ss.reorder_point,
				coalesce(s.time_zone, 'UTC') as time_zone, coalesce(k.provisional, true) as provisional
			from (select ${sku}::text as sku, ${site}::text as site) q
			left join skus k on k.code = q.sku
			left join sites s on s.code = q.site
			left join sku_sites ss on ss.sku = q.sku and ss.site = q.site
		`;
		return row;
	}
}
