import { addDays } from '../../src/lib/core/dates.ts';
import { kpiQuerySchema, type KpiOverview, type KpiPoint } from '../../src/lib/contract/signals.ts';
import { can, canSeeSite, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import { parse } from './validate.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { Repositories } from '../repositories/repositories.ts';

/** Every site together, in kpi_daily. */
export const ALL_SITES = '*';
const BOARD = 'main';

/**
 * KPIs for the home page and the wall screens: fill rate, on-time-in-full of shipped commitments,
 * commitments at risk and short, stockouts, late inbound and backorder age, now and per day. The
 * open-commitment figures come from the wall's snapshot query (WallRepository.kpis), so the home page
 * and the wall never disagree; delivery figures and the daily history are kept here.
 */
export class KpiService {
	constructor(private readonly repos: Pick<Repositories, 'kpi' | 'wall' | 'catalog'>) {}

	/** Figures right now, for every site (null) or some; "today" for OTIF is the UTC day. */
	async current(sites: string[] | null, now = new Date()): Promise<KpiPoint> {
		const day = now.toISOString().slice(0, 10);
		const [w, d] = await Promise.all([
			this.repos.wall.kpis(BOARD, sites),
			this.repos.kpi.delivery(`${day}T00:00:00Z`, `${addDays(day, 1)}T00:00:00Z`, sites)
		]);
		return {
			day,
			fillRate: w.fillRate,
			otif: d.shipped > 0 ? d.onTimeInFull / d.shipped : null,
			shipped: d.shipped,
			atRisk: w.atRisk,
			short: w.short,
			stockouts: w.stockoutsNow,
			lateInbound: w.lateInbound,
			backorderAgeDays: d.backorderAgeDays
		};
	}

	/**
	 * The reader's KPIs: one site (`?site=`), or every site they follow. History is per day, the last
	 * recorded value of each; today's point is always the live one.
	 */
	async overview(p: Principal, query: unknown, now = new Date()): Promise<KpiOverview> {
		if (!can(p, 'positions:read') || !can(p, 'commitments:read')) throw new ForbiddenError('your access may not read KPIs');
		const q = parse(kpiQuerySchema, query ?? {}, 'query');
		if (q.site && !canSeeSite(p, q.site)) throw new NotFoundError(`unknown site ${q.site}`);
		const sites = q.site ? [q.site] : visibleSites(p);
		const scopes = sites ?? [ALL_SITES];
		const since = addDays(now.toISOString().slice(0, 10), -(q.days - 1));
		const [current, history] = await Promise.all([this.current(sites, now), this.repos.kpi.history(scopes, since)]);
		const past = history.filter((h) => h.day < current.day);
		return { scope: q.site ?? (sites ? sites.join(',') : ALL_SITES), current, history: [...past, current] };
	}

	/** Writes today's figures for every site and for all together (the recorder runs this). */
	/** Stores one day's figures for a scope as given (the demo's made-up history). */
	recordDay(scope: string, point: KpiPoint): Promise<void> {
		return this.repos.kpi.upsertDay(scope, point);
	}

	async record(now = new Date()): Promise<void> {
		const sites = await this.repos.catalog.listSites();
		const scopes: [string, string[] | null][] = [[ALL_SITES, null], ...sites.map((s): [string, string[]] => [s.code, [s.code]])];
		for (const [scope, list] of scopes) await this.repos.kpi.upsertDay(scope, await this.current(list, now));
	}
}
