// Time-phased available-to-promise for one SKU×site (DESIGN.md "Time-phased available-to-promise").
import type { IsoDate } from '../contract/domain.ts';
import { forecastProjection, forecastSeries } from './forecast.ts';
import { buildProfile, fencedAtp, physicalAtp, type Profile } from './profile.ts';
import type { AvailabilityInput, CommitmentDemand, DateBalance, DateQty, InboundSupply } from './types.ts';

export interface AtpResult {
	today: IsoDate;
	/** today + lead time; null when the lead time is unknown. */
	fence: IsoDate | null;
	safetyStock: number;
	onHand: number;
	backordered: number;
	/** Open qty of confirmed commitments, dated or not. */
	allocated: number;
	/** Open qty of every inbound line, dated or not. */
	inbound: number;
	/** ATP today (the first step of `atp`). */
	available: number;
	/** P(t) steps: each balance holds from its date until the next entry. */
	projected: DateBalance[];
	/**
	 * Cumulative ATP steps. Before the fence: max(0, min over [t, fence) of P − SS). From the fence
	 * on, any qty is promisable (needs PO); the value there is what known supply still covers.
	 */
	atp: DateQty[];
	/** Cumulative requested (unconfirmed) demand; it does not consume ATP. */
	requested: DateQty[];
	/** Lines whose ETA has passed; they count as supply from today. */
	lateInbound: InboundSupply[];
	/** Lines without an ETA; not counted as supply. */
	undatedInbound: InboundSupply[];
	/** Open commitments without a usable date; not counted as demand, their risk is unknown. */
	undatedDemand: CommitmentDemand[];
	/**
	 * Only when forecast demand is counted (input.countForecast): cumulative forecast demand, and P(t)
	 * minus it. Kept beside `projected`, never folded into it, so firm figures read the same either way.
	 */
	forecast?: DateQty[];
	forecastProjected?: DateBalance[];
}

/** Step-list compaction: drop entries that repeat the previous value, but keep the fence visible. */
function steps<T extends { date: IsoDate }>(items: T[], value: (t: T) => number, keep: IsoDate | null): T[] {
	const out: T[] = [];
	for (const it of items) {
		const last = out[out.length - 1];
		if (last && value(last) === value(it) && it.date !== keep) continue;
		out.push(it);
	}
	return out;
}

export function atpSeries(p: Profile): DateQty[] {
	const raw = p.dates.map((date, i) => ({
		date,
		qty: i < p.fenceIndex ? fencedAtp(p, i) : physicalAtp(p, i)
	}));
	return steps(raw, (x) => x.qty, p.fence);
}

export function projectedSeries(p: Profile): DateBalance[] {
	const raw = p.dates.map((date, i) => ({ date, balance: p.balance[i] }));
	return steps(raw, (x) => x.balance, p.fence);
}

export function computeAtp(input: AvailabilityInput): AtpResult {
	return atpFromProfile(buildProfile(input), input);
}

export function atpFromProfile(p: Profile, input: Pick<AvailabilityInput, 'onHand' | 'backordered' | 'forecast' | 'countForecast'>): AtpResult {
	const atp = atpSeries(p);
	const withForecast = input.countForecast ? forecastSeries(forecastProjection(p, input.forecast ?? []), p.fence) : {};
	return {
		today: p.today,
		fence: p.fence,
		safetyStock: p.safetyStock,
		onHand: input.onHand,
		backordered: input.backordered ?? 0,
		allocated: p.allocated,
		inbound: p.inboundTotal,
		available: atp[0].qty,
		projected: projectedSeries(p),
		atp,
		requested: p.requested,
		lateInbound: p.lateInbound,
		undatedInbound: p.undatedInbound,
		undatedDemand: p.undatedDemand,
		...withForecast
	};
}

/** The value of a step list on a date (before the first step: the first value). */
export function valueOn<T extends { date: IsoDate }>(series: readonly T[], date: IsoDate, value: (t: T) => number): number {
	let lo = 0;
	let hi = series.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (series[mid].date <= date) lo = mid;
		else hi = mid - 1;
	}
	return value(series[lo]);
}
