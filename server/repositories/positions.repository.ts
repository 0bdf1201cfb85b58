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

export interface DirtyPair {
	dirtyGen: number;
	/** Earliest time of the events inserted since the pair was last folded clean; null: none. */
	lateFrom: Date | null;
	/** The fold checkpoint the stored position came from (unchecked JSON); null: none yet. */
	fold: unknown;
	/** When the stored position was written (null: none yet). */
	writtenAt: Date | null;
	exists: boolean;
	numbers: PositionNumbers;
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
	 * batches over overlapping pairs cannot deadlock. `from`: the earliest time of the events this
	 * write inserted for the pair, so a recompute knows whether one sorts before its checkpoint.
	 */
	async markDirty(tx: TxSql, pairs: (PairKey & { from?: Date | null })[]): Promise<void> {
		if (pairs.length === 0) return;
		await tx`
			insert into position_dirty (sku, site, dirty_gen, dirty_since, late_from)
			select sku, site, 1, now(), late_from
			from json_to_recordset(${tx.json(pairs.map((p) => ({ sku: p.sku, site: p.site, late_from: p.from?.toISOString() ?? null })) as never)}::json)
				as x(sku text, site text, late_from timestamptz)
			order by sku, site
			on conflict (sku, site) do update
				set dirty_gen = position_dirty.dirty_gen + 1,
					dirty_since = coalesce(position_dirty.dirty_since, now()),
					late_from = least(position_dirty.late_from, excluded.late_from)
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

	/**
	 * dirtyGen for many pairs, with the fold checkpoint the position was computed from and the
	 * earliest event time inserted since; pairs with no dirty row are absent from the map.
	 */
	async dirtyGens(tx: TxSql, keys: PairKey[]): Promise<Map<string, DirtyPair>> {
		const rows = await tx<(PositionNumbers & PairKey & Omit<DirtyPair, 'numbers'>)[]>`
			select d.sku, d.site, d.dirty_gen, d.late_from, p.fold, p.updated_at as written_at, p.sku is not null as exists, coalesce(p.on_hand, 0) as on_hand,
				coalesce(p.allocated, 0) as allocated, coalesce(p.inbound, 0) as inbound,
				coalesce(p.backordered, 0) as backordered, coalesce(p.available, 0) as available
			from position_dirty d left join positions p on p.sku = d.sku and p.site = d.site
			where (d.sku, d.site) in (select * from unnest(${tx.array(keys.map((k) => k.sku))}::text[], ${tx.array(keys.map((k) => k.site))}::text[]))
		`;
		return new Map(
			rows.map(({ sku, site, dirtyGen, lateFrom, fold, writtenAt, exists, ...numbers }) => [pairKey({ sku, site }), { dirtyGen, lateFrom, fold, writtenAt, exists, numbers }])
		);
	}

	/**
	 * Upserts many positions in one statement, each with the fold checkpoint it came from: written
	 * together, in the recompute's transaction, so a checkpoint never runs ahead of its position and
	 * a redelivered job writes the same row again.
	 */
	async writeMany(tx: TxSql, rows: (PairKey & PositionNumbers & { state: unknown; fold: unknown })[]): Promise<void> {
		if (rows.length === 0) return;
		await tx`
			insert into positions (sku, site, on_hand, allocated, inbound, backordered, available, state, fold)
			select sku, site, on_hand, allocated, inbound, backordered, available, state, fold
			from json_to_recordset(${tx.json(rows.map((r) => ({ sku: r.sku, site: r.site, on_hand: r.onHand, allocated: r.allocated, inbound: r.inbound, backordered: r.backordered, available: r.available, state: r.state, fold: r.fold })) as never)}::json)
				as x(sku text, site text, on_hand integer, allocated integer, inbound integer, backordered integer, available integer, state jsonb, fold jsonb)
			on conflict (sku, site) do update set on_hand = excluded.on_hand, allocated = excluded.allocated,
				inbound = excluded.inbound, backordered = excluded.backordered, available = excluded.available,
				state = excluded.state, fold = excluded.fold, updated_at = now()
		`;
	}

	/** markClean for many pairs; returns the keys that are now clean. */
	async markCleanMany(tx: TxSql, gens: (PairKey & { gen: number })[]): Promise<Set<string>> {
		if (gens.length === 0) return new Set();
		// Rows are locked in key order first, as markDirty takes them: an update in whatever order the join
		// yields deadlocked with concurrent ingests under a sustained feed.
		const rows = await tx<(PairKey & { clean: boolean })[]>`
			update position_dirty d set clean_gen = x.gen,
				dirty_since = case when d.dirty_gen = x.gen then null else d.dirty_since end,
				late_from = case when d.dirty_gen = x.gen then null else d.late_from end
			from (
				select p.sku, p.site, g.gen from position_dirty p
				join json_to_recordset(${tx.json(gens as never)}::json) as g(sku text, site text, gen bigint) on p.sku = g.sku and p.site = g.site
				order by p.sku, p.site for update of p
			) x
			where d.sku = x.sku and d.site = x.site
			returning d.sku, d.site, d.dirty_gen = x.gen as clean
		`;
		return new Set(rows.filter((r) => r.clean).map(pairKey));
	}

	async ledgerState(tx: TxSql, key: PairKey): Promise<unknown | null> {
		const [row] = await tx<{ state: unknown }[]>`select state from positions where sku = ${key.sku} and site = ${key.site}`;
		return row ? row.state : null;
	}

	/**
	 * A version of everything a pair's availability is computed from: the row versions (xmin) of its
	 * position (the folded ledger), its dirty mark (bumped in the transaction of every commitment or
	 * event write that moves the pair) and its catalog rows. Equal versions mean equal inputs.
	 * `sites` null: every site holding a position for the SKU (limited to `visible` when given).
	 */
	async profileVersions(
		s: Sql | TxSql,
		sku: string,
		sites: string[] | null,
		visible: string[] | null = null
	): Promise<{ site: string; version: string }[]> {
		const wanted = sites
			? s`select unnest(${s.array(sites)}::text[]) as site`
			: s`select site from positions where sku = ${sku} ${visible ? s`and site = any(${s.array(visible)}::text[])` : s``}`;
		return s<{ site: string; version: string }[]>`
			select q.site, concat_ws(':', d.xmin, p.xmin, k.xmin, t.xmin, ss.xmin, d.sku is null, p.sku is null, k.code is null, t.code is null, ss.sku is null) as version
			from (${wanted}) q
			left join position_dirty d on d.sku = ${sku} and d.site = q.site
			left join positions p on p.sku = ${sku} and p.site = q.site
			left join skus k on k.code = ${sku}
			left join sites t on t.code = q.site
			left join sku_sites ss on ss.sku = ${sku} and ss.site = q.site
			order by q.site
		`;
	}

	/** Sites that hold a position for the SKU, limited to `sites` when given. */
	async sitesFor(sku: string, sites: string[] | null): Promise<string[]> {
		const rows = await this.sql<{ site: string }[]>`
			select site from positions where sku = ${sku}
				${sites ? this.sql`and site = any(${this.sql.array(sites)}::text[])` : this.sql``}
			order by site`;
		return rows.map((r) => r.site);
	}

	/** Which of `keys` are marked dirty now. */
	async stillDirty(keys: PairKey[]): Promise<PairKey[]> {
		if (keys.length === 0) return [];
		return this.sql<PairKey[]>`
			select d.sku, d.site from position_dirty d
			join unnest(${this.sql.array(keys.map((k) => k.sku))}::text[], ${this.sql.array(keys.map((k) => k.site))}::text[]) as k(sku, site)
				on d.sku = k.sku and d.site = k.site
			where d.dirty_since is not null
		`;
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
