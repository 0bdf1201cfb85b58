import { computeAtp } from '../../src/lib/core/atp.ts';
import { diffDays, localDate } from '../../src/lib/core/dates.ts';
import type { LedgerState } from '../../src/lib/core/ledger.ts';
import { skuListQuerySchema, type SkuDetail, type SkuListItem, type SkuSiteView } from '../../src/lib/contract/signals.ts';
import { can, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Sql } from '../db/database.ts';
import { pairKey } from '../repositories/pair-key.ts';
import { parse } from './validate.ts';
import { availabilityInput, EMPTY_LEDGER } from './availability.input.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { LifecycleService } from './lifecycle.service.ts';
import type { Repositories } from '../repositories/repositories.ts';

/** The SKU list (search, sort, filters) and the multi-site view of one SKU. */
export class SkusService {
	constructor(
		private readonly sql: Sql,
		private readonly repos: Pick<Repositories, 'skus' | 'catalog' | 'commitments' | 'signals'>,
		private readonly lifecycle: LifecycleService
	) {}

	list(p: Principal, query: unknown): Promise<SkuListItem[]> {
		if (!can(p, 'positions:read')) throw new ForbiddenError('your access may not read stock');
		return this.repos.skus.list(parse(skuListQuerySchema, query ?? {}, 'query'), visibleSites(p));
	}

	/**
	 * Every site the principal sees that stocks, expects or parametrises the SKU: stock, inbound lines
	 * with late ones marked, backorders with their age, ATP and projections, computed from the folded
	 * ledgers the engine stored, in one consistent snapshot. `forecast` off leaves signals out.
	 */
	async detail(p: Principal, code: string, opts: { forecast?: boolean; now?: Date } = {}): Promise<SkuDetail> {
		if (!can(p, 'positions:read')) throw new ForbiddenError('your access may not read stock');
		const now = opts.now ?? new Date();
		const read = await this.sql.begin('isolation level repeatable read read only', async (tx) => {
			const sku = await this.repos.skus.get(tx, code);
			if (!sku) return null;
			const sites = await this.repos.skus.sitesOf(tx, code, visibleSites(p));
			const keys = sites.map((s) => ({ sku: code, site: s.site }));
			const [params, commitments, signals] = await Promise.all([
				this.repos.catalog.paramsFor(tx, keys),
				this.repos.commitments.openForPairs(tx, keys),
				this.repos.signals.liveForPairs(tx, keys)
			]);
			return { sku, sites, params, commitments, signals };
		});
		if (!read) throw new NotFoundError(`no SKU ${code}`);
		const views: SkuSiteView[] = read.sites.map((s) => {
			const k = pairKey({ sku: code, site: s.site });
			const params = read.params.get(k)!;
			const ledger = (s.state as LedgerState | null) ?? EMPTY_LEDGER;
			const signals = opts.forecast === false ? undefined : (read.signals.get(k) ?? []);
			const input = availabilityInput(params, ledger, read.commitments.get(k) ?? [], now, signals);
			const r = computeAtp(input);
			const since = ledger.backordered > 0 ? ledger.backorderSince : null;
			return {
				site: s.site,
				siteName: s.siteName,
				today: r.today,
				fence: r.fence,
				onHand: r.onHand,
				allocated: r.allocated,
				inbound: r.inbound,
				backordered: r.backordered,
				backorderSince: since,
				backorderAgeDays: since ? diffDays(r.today, localDate(since, params.timeZone)) : null,
				available: r.available,
				safetyStock: r.safetyStock,
				reorderPoint: params.reorderPoint,
				inboundLines: ledger.inbound.map((l) => ({ key: l.key, kind: l.kind, qty: l.qty, eta: l.eta, previousEta: l.previousEta, late: l.eta !== null && l.eta < r.today })),
				atp: r.atp,
				projected: r.projected,
				forecast: r.forecast ?? [],
				forecastProjected: r.forecastProjected ?? []
			};
		});
		const signals = [...read.signals.values()].flat().sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
		return { sku: read.sku, sites: views, signals, lifecycle: await this.lifecycle.history(code) };
	}
}
