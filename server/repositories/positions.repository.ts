import type { PositionListItem, PositionRow } from '../../src/lib/contract/api.ts';
import type { Sql, TxSql } from '../db/database.ts';

export interface PairKey {
	sku: string;
	site: string;
}

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
