// Promise check: can q units ship on date d from one site, and if not, when?
import type { IsoDate } from '../contract/domain.ts';
import { maxDate } from './dates.ts';
import {
	buildProfile,
	earliestIndex,
	exclusionFor,
	fencedAtp,
	indexAt,
	physicalAtp,
	type Exclusion,
	type Profile
} from './profile.ts';
import type { AvailabilityInput } from './types.ts';

export interface PromiseRequest {
	qty: number;
	date: IsoDate;
	/** The commitment being re-checked: its own demand must not count against it. */
	excludeCommitmentId?: string;
}

export interface PromiseResult {
	feasible: boolean;
	/** Earliest date ≥ today the qty can be promised (≤ date when feasible); the fence if only the fence helps; null if never. */
	earliestDate: IsoDate | null;
	/** How much ATP falls short on the requested date; 0 when feasible. */
	shortQty: number;
	/** The promise relies on the infinite-supply fence: known supply does not cover it. */
	needsPo: boolean;
}

export function promiseCheck(input: AvailabilityInput, req: PromiseRequest): PromiseResult {
	const p = buildProfile(input);
	return promiseOnProfile(p, req.qty, req.date, exclusionFor(p, req.excludeCommitmentId));
}

/** The check on a prebuilt profile, so risk evaluation can reuse one profile for every commitment. */
export function promiseOnProfile(p: Profile, qty: number, date: IsoDate, ex?: Exclusion): PromiseResult {
	const day = maxDate(date, p.today);
	const first = earliestIndex(p, qty, ex);
	const earliestDate = first >= 0 ? p.dates[first] : p.fence;
	const feasible = earliestDate !== null && earliestDate <= day;
	const shortQty = feasible ? 0 : qty - fencedAtp(p, indexAt(p, day), ex);
	const used = feasible ? day : earliestDate;
	const needsPo =
		used !== null && p.fence !== null && used >= p.fence && qty > physicalAtp(p, indexAt(p, used), ex);
	return { feasible, earliestDate, shortQty, needsPo };
}

export interface SiteOption {
	site: string;
	feasible: boolean;
	earliestDate: IsoDate | null;
	shortQty: number;
	needsPo: boolean;
}

function rank(o: SiteOption): number {
	if (o.feasible) return o.needsPo ? 1 : 0;
	if (o.earliestDate === null) return 3;
	return 2;
}

/**
 * Every site's answer, best first: feasible from known supply, feasible with a PO, then by
 * earliest date, sites that can never serve it last; ties by site code for a stable order.
 */
export function promiseOptions(
	sites: readonly { site: string; input: AvailabilityInput }[],
	req: PromiseRequest
): SiteOption[] {
	return promiseOptionsOnProfiles(sites.map(({ site, input }) => ({ site, profile: buildProfile(input) })), req);
}

/** promiseOptions on prebuilt profiles (a server keeps them between checks). */
export function promiseOptionsOnProfiles(sites: readonly { site: string; profile: Profile }[], req: PromiseRequest): SiteOption[] {
	const options = sites.map(({ site, profile }) => ({
		site,
		...promiseOnProfile(profile, req.qty, req.date, exclusionFor(profile, req.excludeCommitmentId))
	}));
	return options.sort((a, b) => {
		const r = rank(a) - rank(b);
		if (r !== 0) return r;
		if (a.earliestDate !== b.earliestDate && a.earliestDate !== null && b.earliestDate !== null)
			return a.earliestDate < b.earliestDate ? -1 : 1;
		return a.site < b.site ? -1 : a.site > b.site ? 1 : 0;
	});
}
