import type { LifecycleStage } from '../../src/lib/contract/domain.ts';
import type { Sql, TxSql } from '../db/database.ts';
import type { PairKey } from './positions.repository.ts';

export interface SiteImport {
	code: string;
	name: string;
	timeZone: string;
}

export interface SkuImport {
	code: string;
	name: string;
	unit: string;
	lifecycle: LifecycleStage;
	leadTimeDays: number | null;
}

export interface SkuSiteImport {
	sku: string;
	site: string;
	safetyStock: number;
	reorderPoint: number | null;
}

/** Catalog writes and look-ups of a CSV import, each one statement for the whole file. */
export class ImportRepository {
	constructor(private readonly sql: Sql) {}

	async existingSites(codes: string[], tx: Sql | TxSql = this.sql): Promise<Map<string, string>> {
		if (codes.length === 0) return new Map();
		const rows = await tx<{ code: string; timeZone: string }[]>`select code, time_zone from sites where code = any(${tx.array(codes)}::text[])`;
		return new Map(rows.map((r) => [r.code, r.timeZone]));
	}

	async existingSkus(codes: string[], tx: Sql | TxSql = this.sql): Promise<Map<string, { lifecycle: LifecycleStage; provisional: boolean }>> {
		if (codes.length === 0) return new Map();
		const rows = await tx<{ code: string; lifecycle: LifecycleStage; provisional: boolean }[]>`
			select code, lifecycle, provisional from skus where code = any(${tx.array(codes)}::text[])
		`;
		return new Map(rows.map((r) => [r.code, r]));
	}

	/** The catalog names them: imported codes are no longer provisional. */
	async upsertSites(tx: TxSql, sites: SiteImport[]): Promise<void> {
		if (sites.length === 0) return;
		await tx`
			insert into sites (code, name, time_zone, provisional)
			select code, name, time_zone, false from json_to_recordset(${tx.json(sites.map((s) => ({ code: s.code, name: s.name, time_zone: s.timeZone })) as never)}::json)
				as x(code text, name text, time_zone text)
			order by code
			on conflict (code) do update set name = excluded.name, time_zone = excluded.time_zone, provisional = false
		`;
	}

	async upsertSkus(tx: TxSql, skus: SkuImport[]): Promise<void> {
		if (skus.length === 0) return;
		const rows = skus.map((k) => ({ code: k.code, name: k.name, unit: k.unit, lifecycle: k.lifecycle, lead_time_days: k.leadTimeDays }));
		await tx`
			insert into skus (code, name, unit, lifecycle, lead_time_days, provisional)
			select code, name, unit, lifecycle, lead_time_days, false from json_to_recordset(${tx.json(rows as never)}::json)
				as x(code text, name text, unit text, lifecycle text, lead_time_days integer)
			order by code
			on conflict (code) do update set name = excluded.name, unit = excluded.unit, lifecycle = excluded.lifecycle,
				lead_time_days = excluded.lead_time_days, provisional = false
		`;
	}

	async upsertSkuSites(tx: TxSql, rows: SkuSiteImport[]): Promise<void> {
		if (rows.length === 0) return;
		const json = rows.map((r) => ({ sku: r.sku, site: r.site, safety_stock: r.safetyStock, reorder_point: r.reorderPoint }));
		await tx`
			insert into sku_sites (sku, site, safety_stock, reorder_point)
			select sku, site, safety_stock, reorder_point from json_to_recordset(${tx.json(json as never)}::json)
				as x(sku text, site text, safety_stock integer, reorder_point integer)
			order by sku, site
			on conflict (sku, site) do update set safety_stock = excluded.safety_stock, reorder_point = excluded.reorder_point
		`;
	}

	/** Positions of these sites or SKUs: what a catalog import may move. */
	async pairsOf(tx: TxSql, by: { sites?: string[]; skus?: string[] }): Promise<PairKey[]> {
		const sites = by.sites ?? [];
		const skus = by.skus ?? [];
		if (sites.length === 0 && skus.length === 0) return [];
		return tx<PairKey[]>`
			select sku, site from positions
			where site = any(${tx.array(sites)}::text[]) or sku = any(${tx.array(skus)}::text[])
			order by sku, site
		`;
	}
}
