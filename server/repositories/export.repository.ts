import type { ExportList } from '../../src/lib/contract/import.ts';
import type { Sql } from '../db/database.ts';

const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Column list (as written in the CSV header) and query of each list; `$1` is the visible sites
 * (null: all), `$2` the query's `extra` parameter: the export time, or the boards the reader covers.
 */
const QUERIES: Record<ExportList, { columns: string[]; sql: string; extra?: 'at' | 'boards' }> = {
	sites: {
		columns: ['code', 'name', 'time_zone'],
		sql: `select code, name, time_zone from sites where ($1::text[] is null or code = any($1)) order by code`
	},
	skus: {
		columns: ['code', 'name', 'unit', 'lifecycle', 'lead_time_days', 'site', 'safety_stock', 'reorder_point'],
		sql: `select k.code, k.name, k.unit, k.lifecycle, k.lead_time_days, ss.site, ss.safety_stock, ss.reorder_point
			from skus k left join sku_sites ss on ss.sku = k.code and ($1::text[] is null or ss.site = any($1))
			order by k.code, ss.site nulls first`
	},
	// On hand as a count taken at the moment of export ($2): events after it still apply on re-import.
	stock: {
		columns: ['sku', 'site', 'qty', 'counted_at'],
		sql: `select sku, site, on_hand as qty, $2::text as counted_at from positions
			where ($1::text[] is null or site = any($1)) order by sku, site`,
		extra: 'at'
	},
	pos: {
		columns: ['po', 'sku', 'site', 'qty', 'eta', 'at'],
		sql: `select l ->> 'key' as po, p.sku, p.site, (l ->> 'qty')::int as qty, l ->> 'eta' as eta, null::text as at
			from positions p cross join lateral jsonb_array_elements(coalesce(p.state -> 'inbound', '[]'::jsonb)) l
			where l ->> 'kind' = 'po' and ($1::text[] is null or p.site = any($1))
			order by p.sku, p.site, l ->> 'key'`
	},
	commitments: {
		columns: ['id', 'board', 'customer', 'sku', 'qty', 'requested_date', 'promised_date', 'site', 'status', 'owner', 'priority', 'notes'],
		sql: `select id, board_id as board, customer, sku, qty, requested_date, promised_date, site, status, owner, priority, notes
			from commitments where ($1::text[] is null or site is null or site = any($1))
				and ($2::text[] is null or board_id = any($2)) order by id`,
		extra: 'boards'
	},
	// A lane shows when the reader follows either end of it.
	lanes: {
		columns: ['from_site', 'to_site', 'transit_days'],
		sql: `select from_site, to_site, transit_days from lanes
			where ($1::text[] is null or from_site = any($1) or to_site = any($1)) order by from_site, to_site`
	},
	positions: {
		columns: ['sku', 'name', 'site', 'on_hand', 'allocated', 'inbound', 'backordered', 'available', 'updated_at'],
		sql: `select p.sku, coalesce(k.name, p.sku) as name, p.site, p.on_hand, p.allocated, p.inbound, p.backordered, p.available,
				${iso('p.updated_at')} as updated_at
			from positions p left join skus k on k.code = p.sku where ($1::text[] is null or p.site = any($1)) order by p.sku, p.site`
	},
	alerts: {
		columns: ['id', 'kind', 'severity', 'status', 'sku', 'site', 'commitment_id', 'message', 'opened_at', 'acknowledged_by', 'acknowledged_at', 'resolved_at'],
		sql: `select id, kind, severity, status, sku, site, commitment_id, message, ${iso('opened_at')} as opened_at, acknowledged_by,
				${iso('acknowledged_at')} as acknowledged_at, ${iso('resolved_at')} as resolved_at
			from alerts where ($1::text[] is null or site is null or site = any($1)) order by opened_at desc, id`
	},
	signals: {
		columns: ['id', 'sku', 'site', 'kind', 'customer', 'qty', 'per', 'start_date', 'end_date', 'note', 'created_by', 'created_at', 'withdrawn_at'],
		sql: `select id, sku, site, kind, customer, qty, per, start_date, end_date, note, created_by, ${iso('created_at')} as created_at,
				${iso('withdrawn_at')} as withdrawn_at
			from demand_signals where ($1::text[] is null or site = any($1)) order by created_at desc, id`
	}
};

/** Streams whole lists for CSV export, a page of rows at a time (a cursor, never the whole table in memory). */
export class ExportRepository {
	constructor(private readonly sql: Sql) {}

	columns(list: ExportList): string[] {
		return QUERIES[list].columns;
	}

	/** `boards`: the boards whose commitments the reader may see (null: every board). */
	async *rows(list: ExportList, sites: string[] | null, at: string, boards: string[] | null): AsyncGenerator<unknown[][]> {
		const q = QUERIES[list];
		const params = q.extra ? [sites, q.extra === 'at' ? at : boards] : [sites];
		// Values, not objects: the header order is the select order, and names need no mapping back.
		for await (const batch of this.sql.unsafe(q.sql, params as never).values().cursor(1000)) {
			yield batch as unknown as unknown[][];
		}
	}
}
