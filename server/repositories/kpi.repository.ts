import type { KpiPoint } from '../../src/lib/contract/signals.ts';
import type { Sql } from '../db/database.ts';

/** What KpiRepository measures itself; the rest of a KpiPoint comes from WallRepository.kpis. */
export interface DeliveryFigures {
	shipped: number;
	onTimeInFull: number;
	backorderAgeDays: number | null;
}

/** KPI figures the wall's snapshot does not have, and the daily history of all of them. */
export class KpiRepository {
	constructor(private readonly sql: Sql) {}

	/**
	 * Commitments whose last shipment fell in [from, to), and how many went out on time (by the site's
	 * calendar, on or before the promised date, else the requested one) and in full (shipped qty ≥ qty).
	 * A commitment marked shipped with no shipment event counts on the day it was marked, in full.
	 * Also the age in days of the oldest unfilled backorder now.
	 */
	async delivery(from: string, to: string, sites: string[] | null): Promise<DeliveryFigures> {
		const inSites = sites ? this.sql`and c.site = any(${this.sql.array(sites)}::text[])` : this.sql``;
		const [row] = await this.sql<{ shipped: number; onTimeInFull: number; backorderAgeDays: number | null }[]>`
			with touched as (
				select distinct commitment as id from inventory_events
				where type = 'shipment' and commitment is not null and at >= ${from}::timestamptz and at < ${to}::timestamptz
			), by_event as (
				select e.commitment as id, max(e.at) as last_at, sum(e.qty) as qty
				from inventory_events e join touched t on t.id = e.commitment
				where e.type = 'shipment'
				group by e.commitment
				having max(e.at) >= ${from}::timestamptz
			), by_status as (
				select c.id, c.updated_at as last_at, c.qty from commitments c
				where c.status = 'shipped' and c.updated_at >= ${from}::timestamptz and c.updated_at < ${to}::timestamptz
					and not exists (select 1 from inventory_events e where e.commitment = c.id)
			), shipped as (
				select s.*, c.qty as ordered, coalesce(c.promised_date, c.requested_date) as due,
					(s.last_at at time zone coalesce(st.time_zone, 'UTC'))::date as shipped_on
				from (select * from by_event union all select * from by_status) s
				join commitments c on c.id = s.id
				left join sites st on st.code = c.site
				where true ${inSites}
			)
			select
				(select count(*)::int from shipped) as shipped,
				(select count(*)::int from shipped where qty >= ordered and (due is null or shipped_on <= due)) as on_time_in_full,
				(select floor(extract(epoch from now() - min((p.state ->> 'backorderSince')::timestamptz)) / 86400)::int
					from positions p where p.backordered > 0 and p.state ->> 'backorderSince' is not null
					${sites ? this.sql`and p.site = any(${this.sql.array(sites)}::text[])` : this.sql``}) as backorder_age_days
		`;
		return row;
	}

	async upsertDay(scope: string, p: KpiPoint): Promise<void> {
		await this.sql`
			insert into kpi_daily (scope, day, fill_rate, otif, shipped, at_risk, short, stockouts, late_inbound, backorder_age_days, taken_at)
			values (${scope}, ${p.day}, ${p.fillRate}, ${p.otif}, ${p.shipped}, ${p.atRisk}, ${p.short}, ${p.stockouts},
				${p.lateInbound}, ${p.backorderAgeDays}, now())
			on conflict (scope, day) do update set fill_rate = excluded.fill_rate, otif = excluded.otif, shipped = excluded.shipped,
				at_risk = excluded.at_risk, short = excluded.short, stockouts = excluded.stockouts, late_inbound = excluded.late_inbound,
				backorder_age_days = excluded.backorder_age_days, taken_at = now()
		`;
	}

	/**
	 * Recorded days from `since` on, oldest first, over one or more scopes: counts add up, ratios are
	 * averaged over the scopes that had one, the backorder age is the oldest.
	 */
	async history(scopes: string[], since: string): Promise<KpiPoint[]> {
		return this.sql<KpiPoint[]>`
			select day, avg(fill_rate) as fill_rate, avg(otif) as otif, sum(shipped)::int as shipped, sum(at_risk)::int as at_risk,
				sum(short)::int as short, sum(stockouts)::int as stockouts, sum(late_inbound)::int as late_inbound,
				max(backorder_age_days) as backorder_age_days
			from kpi_daily where scope = any(${this.sql.array(scopes)}::text[]) and day >= ${since}::date
			group by day order by day
		`;
	}
}
