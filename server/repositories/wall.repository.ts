import type { WallCommitment, WallKpis } from '../../src/lib/contract/notifications.ts';
import type { Sql } from '../db/database.ts';

const OPEN = `c.status in ('requested', 'confirmed')`;
// A commitment ships on its promised date, or its requested date while unconfirmed; "today" is the site's.
const SHIP_DATE = 'coalesce(c.promised_date, c.requested_date)';
const SITE_TODAY = `(now() at time zone coalesce(s.time_zone, 'UTC'))::date`;
const COLUMNS = `c.id, c.customer, c.sku, c.qty, c.site, ${SHIP_DATE} as date, c.status, c.risk, c.short_qty, c.earliest_date`;

/** Read models for wall screens: a few aggregate queries instead of shipping every row to the browser. */
export class WallRepository {
	constructor(private readonly sql: Sql) {}

	/** Open commitments that are short or at risk, short first, then soonest. */
	async troubled(board: string, sites: string[] | null, limit: number): Promise<WallCommitment[]> {
		return this.sql.unsafe<WallCommitment[]>(
			`select ${COLUMNS} from commitments c
			where c.board_id = $1 and ${OPEN} and c.risk in ('short', 'at_risk')
				and ($2::text[] is null or c.site is null or c.site = any($2))
			order by c.risk = 'short' desc, ${SHIP_DATE} nulls first, c.id
			limit $3`,
			[board, sites as never, limit]
		);
	}

	/** Open commitments due today (or overdue) and tomorrow at their site. */
	async shipments(board: string, sites: string[] | null, limit: number): Promise<(WallCommitment & { day: 'today' | 'tomorrow' })[]> {
		return this.sql.unsafe(
			`select ${COLUMNS}, case when ${SHIP_DATE} <= ${SITE_TODAY} then 'today' else 'tomorrow' end as day
			from commitments c left join sites s on s.code = c.site
			where c.board_id = $1 and ${OPEN} and ${SHIP_DATE} <= ${SITE_TODAY} + 1
				and ($2::text[] is null or c.site is null or c.site = any($2))
			order by ${SHIP_DATE}, c.priority desc, c.id
			limit $3`,
			[board, sites as never, limit]
		);
	}

	async kpis(board: string, sites: string[] | null): Promise<WallKpis> {
		const [row] = await this.sql.unsafe<(Omit<WallKpis, 'fillRate'> & { dueQty: number; coverableQty: number })[]>(
			`with open as (
				select c.*, ${SITE_TODAY} as today from commitments c left join sites s on s.code = c.site
				where c.board_id = $1 and ${OPEN} and ($2::text[] is null or c.site is null or c.site = any($2))
			)
			select
				(select count(*)::int from open) as open_commitments,
				(select count(*)::int from open where risk = 'at_risk') as at_risk,
				(select count(*)::int from open where risk = 'short') as short,
				(select coalesce(sum(qty), 0)::int from open where ${SHIP_DATE.replaceAll('c.', '')} <= today + 7) as due_qty,
				(select coalesce(sum(qty - least(short_qty, qty)), 0)::int from open where ${SHIP_DATE.replaceAll('c.', '')} <= today + 7) as coverable_qty,
				(select count(*)::int from positions p where p.on_hand <= 0 and ($2::text[] is null or p.site = any($2))) as stockouts_now,
				(select count(*)::int from alerts a where a.kind = 'stockout_projected' and a.status <> 'resolved'
					and ($2::text[] is null or a.site is null or a.site = any($2))) as stockouts_projected,
				(select count(*)::int from alerts a where a.kind = 'late_inbound' and a.status <> 'resolved'
					and ($2::text[] is null or a.site is null or a.site = any($2))) as late_inbound`,
			[board, sites as never]
		);
		const { dueQty, coverableQty, ...rest } = row;
		return { ...rest, fillRate: dueQty > 0 ? coverableQty / dueQty : null };
	}
}
