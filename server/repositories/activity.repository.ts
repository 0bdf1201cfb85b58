import type { ActivitySource } from '../../src/lib/contract/signals.ts';
import type { Sql, TxSql } from '../db/database.ts';

/** One row of any source, in columns wide enough for all; ActivityService words it. */
export interface ActivityRow {
	at: string;
	source: ActivitySource;
	actor: string | null;
	sku: string | null;
	site: string | null;
	/** Event type, card-history kind, alert kind; null for activity_log rows. */
	kind: string | null;
	qty: number | null;
	/** PO line, commitment id or changed field. */
	ref: string | null;
	/** ETA or old value; destination site or new value. */
	a: string | null;
	b: string | null;
	/** activity_log summary, or the alert's message. */
	text: string | null;
}

export interface ActivityFilter {
	sku?: string;
	site?: string;
	sites: string[] | null;
	before?: string;
	limit: number;
}

const ts = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export class ActivityRepository {
	constructor(private readonly sql: Sql) {}

	async record(
		tx: Sql | TxSql,
		e: { actor: string | null; source: 'signal' | 'lifecycle' | 'import' | 'option'; sku?: string | null; site?: string | null; summary: string; detail?: Record<string, unknown> }
	): Promise<void> {
		await tx`
			insert into activity_log (actor, source, sku, site, summary, detail)
			values (${e.actor}, ${e.source}, ${e.sku ?? null}, ${e.site ?? null}, ${e.summary}, ${tx.json((e.detail ?? {}) as never)})
		`;
	}

	/** Lifecycle changes of one SKU, newest first. */
	async lifecycleOf(sku: string, limit = 50): Promise<{ at: string; actor: string | null; detail: { from: string; to: string; reason: string } }[]> {
		return this.sql.unsafe(
			`select ${ts('at')} as at, actor, detail from activity_log where sku = $1 and source = 'lifecycle' order by at desc limit $2`,
			[sku, limit]
		);
	}

	/**
	 * The latest entries about a SKU or a site from every source, newest first. Each branch is limited
	 * on its own index before the union, so the feed costs a few index range scans however long the
	 * history. Only the filters given are written into the SQL: `$1 is null or sku = $1` would keep a
	 * generic plan from using the (sku, …) and (site, …) indexes.
	 */
	async feed(f: ActivityFilter): Promise<ActivityRow[]> {
		const params: unknown[] = [];
		const param = (v: unknown) => `$${params.push(v)}`;
		const sku = f.sku !== undefined ? param(f.sku) : null;
		const site = f.site !== undefined ? param(f.site) : null;
		const sites = f.sites ? param(f.sites) : null;
		const before = f.before ? param(f.before) : null;
		const limit = param(f.limit);
		const where = (skuCol: string, siteCol: string, at: string) =>
			[
				sku && `${skuCol} = ${sku}::text`,
				site && `${siteCol} = ${site}::text`,
				sites && `(${siteCol} is null or ${siteCol} = any(${sites}::text[]))`,
				before && `${at} < ${before}::timestamptz`
			]
				.filter(Boolean)
				.join(' and ') || 'true';
		const branch = (select: string, from: string, cond: string, at: string) =>
			`(select ${ts(at)} as at, ${at} as t, ${select} from ${from} where ${cond} order by ${at} desc limit ${limit})`;
		return this.sql.unsafe<ActivityRow[]>(
			`select at, source, actor, sku, site, kind, qty, ref, a, b, text from (
				${branch(
					`'event'::text as source, e.actor, e.sku, e.site, e.type as kind, e.qty, coalesce(e.po, e.commitment) as ref, e.eta::text as a, e.to_site as b, null::text as text`,
					'inventory_events e',
					where('e.sku', 'e.site', 'e.at'),
					'e.at'
				)}
				${
					// A transfer also concerns the site it goes to; in a SKU's feed its own row says so already.
					site
						? `union all ${branch(
								`'event', e.actor, e.sku, e.to_site, 'transfer_in', e.qty, e.site, e.eta::text, e.site, null`,
								'inventory_events e',
								`e.to_site is not null and ${where('e.sku', 'e.to_site', 'e.at')}`,
								'e.at'
							)}`
						: ''
				}
				union all
				${branch(`l.source, l.actor, l.sku, l.site, null, null, null, null, null, l.summary`, 'activity_log l', where('l.sku', 'l.site', 'l.at'), 'l.at')}
				union all
				${branch(
					`'commitment', h.actor, c.sku, c.site, h.kind, c.qty, h.commitment_id, h.old_value, h.new_value, h.field`,
					'commitment_history h join commitments c on c.id = h.commitment_id',
					where('c.sku', 'c.site', 'h.at'),
					'h.at'
				)}
				union all
				${branch(
					`'alert', al.acknowledged_by, al.sku, al.site, al.kind, null, al.commitment_id, null, null, al.message`,
					'alerts al',
					`al.acknowledged_at is not null and ${where('al.sku', 'al.site', 'al.acknowledged_at')}`,
					'al.acknowledged_at'
				)}
			) x order by t desc limit ${limit}`,
			params as never
		);
	}
}
