import type { PositionListItem, PositionRow } from '../../src/lib/contract/api.ts';
import type { Sql, TxSql } from '../db/database.ts';
import { pairKey, type PairKey } from './pair-key.ts';

export type { PairKey } from './pair-key.ts';

export interface PositionNumbers {
	onHand: number;
	allocated: number;
	inbound: number;
	backordered: number;
	available: number;
}

export interface ListPositionsQuery {
	site?: string;
	q?: string;
	sites?: string[] | null;
	limit: number;
	offset: number;
}

export class PositionsRepository {
	constructor(private readonly sql: Sql) {}

	/**
	 * Bumps the dirty generation of each pair; rows are touched in key order so concurrent
	 * batches over overlapping pairs cannot deadlock.
	 */
	async markDirty(tx: TxSql, pairs: PairKey[]): Promise<void> {
		if (pairs.length === 0) return;
		await tx`
			insert into position_dirty (sku, site, dirty_gen, dirty_since)
			select sku, site, 1, now()
			from unnest(${tx.array(pairs.map((p) => p.sku))}::text[], ${tx.array(pairs.map((p) => p.site))}::text[]) as x(sku, site)
			order by sku, site
			on conflict (sku, site) do update
				set dirty_gen = position_dirty.dirty_gen + 1,
					dirty_since = coalesce(position_dirty.dirty_since, now())
		`;
	}

	/** lockPair for many pairs, taken in key order so two batches can never deadlock. */
	async lockPairs(tx: TxSql, keys: PairKey[]): Promise<void> {
		await tx`
			select count(pg_advisory_xact_lock(hashtextextended(sku || '|' || site, 7240117)))
			from (select * from unnest(${tx.array(keys.map((k) => k.sku))}::text[], ${tx.array(keys.map((k) => k.site))}::text[]) as k(sku, site)
				order by sku, site) ordered
		`;
	}

	/** dirtyGen for many pairs; pairs with no dirty row are absent from the map. */
	async dirtyGens(tx: TxSql, keys: PairKey[]): Promise<Map<string, { dirtyGen: number; exists: boolean; numbers: PositionNumbers }>> {
		const rows = await tx<(PositionNumbers & PairKey & { dirtyGen: number; exists: boolean })[]>`
			select d.sku, d.site, d.dirty_gen, p.sku is not null as exists, coalesce(p.on_hand, 0) as on_hand,
				coalesce(p.allocated, 0) as allocated, coalesce(p.inbound, 0) as inbound,
				coalesce(p.backordered, 0) as backordered, coalesce(p.available, 0) as available
			from position_dirty d left join positions p on p.sku = d.sku and p.site = d.site
			where (d.sku, d.site) in (select * from unnest(${tx.array(keys.map((k) => k.sku))}::text[], ${tx.array(keys.map((k) => k.site))}::text[]))
		`;
		return new Map(rows.map(({ sku, site, dirtyGen, exists, ...numbers }) => [pairKey({ sku, site }), { dirtyGen, exists, numbers }]));
	}

	/** Upserts many positions in one statement. */
	async writeMany(tx: TxSql, rows: (PairKey & PositionNumbers & { state: unknown })[]): Promise<void> {
		if (rows.length === 0) return;
		await tx`
			insert into positions (sku, site, on_hand, allocated, inbound, backordered, available, state)
			select sku, site, on_hand, allocated, inbound, backordered, available, state
			from json_to_recordset(${tx.json(rows.map((r) => ({ sku: r.sku, site: r.site, on_hand: r.onHand, allocated: r.allocated, inbound: r.inbound, backordered: r.backordered, available: r.available, state: r.state })) as never)}::json)
				as x(sku text, site text, on_hand integer, allocated integer, inbound integer, backordered integer, available integer, state jsonb)
			on conflict (sku, site) do update set on_hand = excluded.on_hand, allocated = excluded.allocated,
				inbound = excluded.inbound, backordered = excluded.backordered, available = excluded.available,
				state = excluded.state, updated_at = now()
		`;
	}

	/** markClean for many pairs; returns the keys that are now clean. */
	async markCleanMany(tx: TxSql, gens: (PairKey & { gen: number })[]): Promise<Set<string>> {
		if (gens.length === 0) return new Set();
		const rows = await tx<(PairKey & { clean: boolean })[]>`
			update position_dirty d set clean_gen = x.gen,
				dirty_since = case when d.dirty_gen = x.gen then null else d.dirty_since end
			from json_to_recordset(${tx.json(gens as never)}::json) as x(sku text, site text, gen bigint)
			where d.sku = x.sku and d.site = x.site
			returning d.sku, d.site, d.dirty_gen = x.gen as clean
		`;
		return new Set(rows.filter((r) => r.clean).map(pairKey));
	}

	/** Serialises recomputes of one pair across workers and nodes, for the transaction's life. */
	async lockPair(tx: TxSql, key: PairKey): Promise<void> {
		await tx`select pg_advisory_xact_lock(hashtextextended(${key.sku} || '|' || ${key.site}, 7240117))`;
	}

	async dirtyGen(tx: TxSql, key: PairKey): Promise<{ dirtyGen: number; exists: boolean; numbers: PositionNumbers } | null> {
		const [row] = await tx<(PositionNumbers & { dirtyGen: number; exists: boolean })[]>`
			select d.dirty_gen, p.sku is not null as exists, coalesce(p.on_hand, 0) as on_hand, coalesce(p.allocated, 0) as allocated,
				coalesce(p.inbound, 0) as inbound, coalesce(p.backordered, 0) as backordered, coalesce(p.available, 0) as available
			from position_dirty d left join positions p on p.sku = d.sku and p.site = d.site
			where d.sku = ${key.sku} and d.site = ${key.site}
		`;
		if (!row) return null;
		const { dirtyGen, exists, ...numbers } = row;
		return { dirtyGen, exists, numbers };
	}

	async write(tx: TxSql, key: PairKey, n: PositionNumbers, state: unknown): Promise<void> {
		await tx`
			insert into positions (sku, site, on_hand, allocated, inbound, backordered, available, state)
			values (${key.sku}, ${key.site}, ${n.onHand}, ${n.allocated}, ${n.inbound}, ${n.backordered}, ${n.available}, ${tx.json(state as never)})
			on conflict (sku, site) do update set on_hand = excluded.on_hand, allocated = excluded.allocated,
				inbound = excluded.inbound, backordered = excluded.backordered, available = excluded.available,
				state = excluded.state, updated_at = now()
		`;
	}

	/** Clears the dirty mark only if no ingest bumped the generation since `gen` was read. */
	async markClean(tx: TxSql, key: PairKey, gen: number): Promise<boolean> {
		const rows = await tx`
			update position_dirty set clean_gen = ${gen},
				dirty_since = case when dirty_gen = ${gen} then null else dirty_since end
			where sku = ${key.sku} and site = ${key.site}
			returning dirty_gen = ${gen} as clean
		`;
		return Boolean(rows[0]?.clean);
	}

	async ledgerState(tx: TxSql, key: PairKey): Promise<unknown | null> {
		const [row] = await tx<{ state: unknown }[]>`select state from positions where sku = ${key.sku} and site = ${key.site}`;
		return row ? row.state : null;
	}

	/** Sites that hold a position for the SKU, limited to `sites` when given. */
	async sitesFor(sku: string, sites: string[] | null): Promise<string[]> {
		const rows = await this.sql<{ site: string }[]>`
			select site from positions where sku = ${sku}
				${sites ? this.sql`and site = any(${this.sql.array(sites)}::text[])` : this.sql``}
			order by site`;
		return rows.map((r) => r.site);
	}

	async dirtyOlderThan(seconds: number, limit: number): Promise<PairKey[]> {
		return this.sql<PairKey[]>`
			select sku, site from position_dirty
			where dirty_since is not null and dirty_since < now() - make_interval(secs => ${seconds})
			order by dirty_since limit ${limit}
		`;
	}

	async get(key: PairKey): Promise<PositionRow | null> {
		const [row] = await this.sql<PositionRow[]>`
			select sku, site, on_hand, allocated, inbound, available, updated_at
			from positions where sku = ${key.sku} and site = ${key.site}
		`;
		return row ?? null;
	}

	async list(query: ListPositionsQuery): Promise<PositionListItem[]> {
		const like = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
		return this.sql<PositionListItem[]>`
			select p.sku, coalesce(k.name, p.sku) as name, p.site, p.on_hand, p.allocated, p.inbound, p.available, p.updated_at
			from positions p left join skus k on k.code = p.sku
			where true
				${query.site ? this.sql`and p.site = ${query.site}` : this.sql``}
				${query.sites ? this.sql`and p.site = any(${this.sql.array(query.sites)}::text[])` : this.sql``}
				${like ? this.sql`and (p.sku ilike ${like} or k.name ilike ${like})` : this.sql``}
			order by p.sku, p.site
			limit ${query.limit} offset ${query.offset}
		`;
	}
}
