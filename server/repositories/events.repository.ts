import type { InventoryEvent } from '../../src/lib/contract/inventory-event.ts';
import type { Sql, TxSql } from '../db/database.ts';
import { groupByPair } from './pair-key.ts';

export interface StoredEvent {
	id: string;
	type: InventoryEvent['type'];
	sku: string;
	site: string;
	qty: number;
	at: string;
	po: string | null;
	eta: string | null;
	toSite: string | null;
	commitment: string | null;
	/** When it was stored (the ingest transaction's start): where its lag to a position starts. */
	receivedAt: Date;
}

export interface InsertedEvent {
	sku: string;
	site: string;
	toSite: string | null;
	at: Date;
}

export class EventsRepository {
	constructor(private readonly sql: Sql) {}

	/**
	 * Inserts the batch in one statement; ids seen before are skipped by the primary key.
	 * One JSON parameter instead of per-row parameters: 10,000 events would overflow the 65,535-parameter cap.
	 */
	async insertNew(tx: TxSql, events: InventoryEvent[], actor: string | null = null): Promise<InsertedEvent[]> {
		if (events.length === 0) return [];
		const rows = events.map((e) => ({
			id: e.id,
			type: e.type,
			sku: e.sku,
			site: e.site,
			qty: e.qty,
			at: e.at,
			po: e.po ?? null,
			eta: e.eta ?? null,
			to_site: e.toSite ?? null,
			commitment: e.commitment ?? null
		}));
		// `actor` (who posted the batch) is for the activity feed; one value per batch.
		return tx<InsertedEvent[]>`
			insert into inventory_events (id, type, sku, site, qty, at, po, eta, to_site, commitment, actor)
			select id, type, sku, site, qty, at, po, eta, to_site, commitment, ${actor}::text
			from json_to_recordset(${tx.json(rows as never)}::json) as x(
				id text, type text, sku text, site text, qty integer, at timestamptz,
				po text, eta date, to_site text, commitment text)
			on conflict (id) do nothing
			returning sku, site, to_site, at
		`;
	}

	/**
	 * The events of several SKU×sites in one round trip, keyed by the pair they concern; with
	 * `since`, only those at or after it (a fold resuming from its checkpoint). A transfer between two
	 * pairs of the batch comes back once for each.
	 */
	async forPositions(tx: TxSql, keys: { sku: string; site: string; since?: string | null }[]): Promise<Map<string, StoredEvent[]>> {
		const since = keys.map((k) => k.since ?? '-infinity');
		const rows = await tx<(StoredEvent & { pairSite: string })[]>`
			with k as (select * from unnest(${tx.array(keys.map((k) => k.sku))}::text[], ${tx.array(keys.map((k) => k.site))}::text[],
				${tx.array(since)}::timestamptz[]) as k(sku, site, since))
			select e.id, e.type, e.sku, e.site, e.qty, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
				e.po, e.eta, e.to_site, e.commitment, e.received_at, k.site as pair_site
			from k join inventory_events e on e.sku = k.sku and e.site = k.site and e.at >= k.since
			union all
			select e.id, e.type, e.sku, e.site, e.qty, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
				e.po, e.eta, e.to_site, e.commitment, e.received_at, k.site as pair_site
			from k join inventory_events e on e.sku = k.sku and e.to_site = k.site and e.at >= k.since
		`;
		const grouped = groupByPair(rows, (r) => ({ sku: r.sku, site: r.pairSite }));
		return new Map([...grouped].map(([k, list]) => [k, list.map(({ pairSite: _pairSite, ...e }) => e)]));
	}

}
