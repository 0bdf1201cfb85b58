import { computeAtp } from '../../src/lib/core/atp.ts';
import { promiseOptionsOnProfiles } from '../../src/lib/core/promise.ts';
import type { Profile } from '../../src/lib/core/profile.ts';
import type { LedgerState } from '../../src/lib/core/ledger.ts';
import type { AvailabilityResponse, PositionListItem } from '../../src/lib/contract/api.ts';
import type { PromiseCheckResponse } from '../../src/lib/contract/commitments.ts';
import { canSeeSite, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Sql } from '../db/database.ts';
import { availabilityInput, EMPTY_LEDGER } from './availability.input.ts';
import { NotFoundError } from './errors.ts';
import { ProfileCache } from './profile.cache.ts';
import type { Repositories } from '../repositories/repositories.ts';

/**
 * Read-side availability. Positions carry the ledger state the last recompute folded, so a read costs
 * one position row plus the pair's open commitments, never a replay of events. A promise check
 * reuses the profile built for the pair's current version: one small query when nothing moved.
 */
export class AvailabilityService {
	readonly profiles: ProfileCache;

	constructor(
		private readonly sql: Sql,
		private readonly repos: Pick<Repositories, 'positions' | 'catalog' | 'commitments' | 'signals'>,
		cacheSize?: number
	) {
		this.profiles = new ProfileCache(cacheSize);
	}

	/** `forecast`: also read the pair's demand signals, counted as forecast demand beside firm P(t). */
	private async inputFor(sku: string, site: string, forecast = false) {
		return this.sql.begin('isolation level repeatable read read only', async (tx) => {
			const [state, params, commitments, signals] = await Promise.all([
				this.repos.positions.ledgerState(tx, { sku, site }),
				this.repos.catalog.skuSiteParams(sku, site, tx),
				this.repos.commitments.openForPair(tx, sku, site),
				forecast ? this.repos.signals.liveForPairs(tx, [{ sku, site }]) : null
			]);
			const ledger = (state as LedgerState | null) ?? EMPTY_LEDGER;
			const live = signals ? [...signals.values()].flat() : undefined;
			return { found: state !== null, input: availabilityInput(params, ledger, commitments, new Date(), live) };
		});
	}

	async availability(p: Principal, sku: string, site: string, opts: { forecast?: boolean } = {}): Promise<AvailabilityResponse> {
		if (!canSeeSite(p, site)) throw new NotFoundError(`no position for ${sku} at ${site}`);
		const { found, input } = await this.inputFor(sku, site, opts.forecast);
		if (!found) throw new NotFoundError(`no position for ${sku} at ${site}`);
		const r = computeAtp(input);
		return {
			sku,
			site,
			onHand: r.onHand,
			allocated: r.allocated,
			inbound: r.inbound,
			backordered: r.backordered,
			safetyStock: r.safetyStock,
			available: r.available,
			atp: r.atp,
			projected: r.projected,
			...(r.forecast ? { forecast: r.forecast, forecastProjected: r.forecastProjected } : {})
		};
	}

	/** The profile of a pair as of `version`: kept from an earlier check, or read and built now. */
	private async profileAt(sku: string, site: string, version: string, now: Date): Promise<Profile> {
		const kept = this.profiles.get(sku, site, version, now);
		if (kept) return kept;
		// Read with the version in one snapshot, so the entry is filed under the version it was built from.
		return this.sql.begin('isolation level repeatable read read only', async (tx) => {
			const [[v], state, params, commitments] = await Promise.all([
				this.repos.positions.profileVersions(tx, sku, [site]),
				this.repos.positions.ledgerState(tx, { sku, site }),
				this.repos.catalog.skuSiteParams(sku, site, tx),
				this.repos.commitments.openForPair(tx, sku, site)
			]);
			const input = availabilityInput(params, (state as LedgerState | null) ?? EMPTY_LEDGER, commitments, now);
			return this.profiles.put(sku, site, v.version, params.timeZone, input);
		});
	}

	/** One site when given; otherwise every site the principal sees that stocks or expects the SKU. */
	async promiseCheck(
		p: Principal,
		req: { sku: string; qty: number; date: string; site?: string; excludeCommitmentId?: string }
	): Promise<PromiseCheckResponse> {
		if (req.site && !canSeeSite(p, req.site)) throw new NotFoundError(`unknown site ${req.site}`);
		const now = new Date();
		const versions = await this.repos.positions.profileVersions(this.sql, req.sku, req.site ? [req.site] : null, visibleSites(p));
		const profiles = await Promise.all(versions.map(async ({ site, version }) => ({ site, profile: await this.profileAt(req.sku, site, version, now) })));
		const options = promiseOptionsOnProfiles(profiles, { qty: req.qty, date: req.date, excludeCommitmentId: req.excludeCommitmentId });
		const chosen = req.site ? options.find((o) => o.site === req.site) : options[0];
		return {
			feasible: chosen?.feasible ?? false,
			site: chosen?.site ?? null,
			earliestDate: chosen?.earliestDate ?? null,
			shortQty: chosen?.shortQty ?? req.qty,
			needsPo: chosen?.needsPo ?? false,
			options: options.map((o) => ({ site: o.site, earliestDate: o.earliestDate, feasible: o.feasible, shortQty: o.shortQty, needsPo: o.needsPo }))
		};
	}

	list(p: Principal, q: { site?: string; q?: string; limit: number; offset: number }): Promise<PositionListItem[]> {
		return this.repos.positions.list({ ...q, sites: visibleSites(p) });
	}
}
