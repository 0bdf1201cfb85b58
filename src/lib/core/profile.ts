// The time-phased projection P(t) of one SKU×site as a step function over its change dates, plus
// the queries ATP, promise and risk are built from. Everything is sorted once; each query is O(1)
// or O(log n), so a SKU with thousands of commitments is checked in one sweep.
import type { IsoDate } from '../contract/domain.ts';
import { addDays, isIsoDate, maxDate } from './dates.ts';
import { rangeMin, type RangeMin } from './range-min.ts';
import type { AvailabilityInput, CommitmentDemand, DateQty, InboundSupply } from './types.ts';

export interface DemandEntry {
	/** Effective date: the ship date, or today when it is already past. */
	date: IsoDate;
	index: number;
	qty: number;
	/**
	 * Confirmed dated demand served up to and including this commitment in promise order
	 * (promiseOrder): what it and every earlier promise take from the stock, wherever it stands.
	 */
	served: number;
}

/** Removing one commitment's demand adds its qty back to P from its date on. */
export interface Exclusion {
	index: number;
	qty: number;
}

export interface Profile {
	today: IsoDate;
	fence: IsoDate | null;
	safetyStock: number;
	/** on hand − backordered: the stock at hand before any inbound or commitment. */
	base: number;
	/** Change dates, ascending; dates[0] is today and the fence (if any) is one of them. */
	dates: IsoDate[];
	/** P(dates[i]): on hand − backordered + inbound due ≤ t − confirmed demand due ≤ t. */
	balance: number[];
	/** P without any inbound: what on-hand stock alone leaves at each date. */
	onHandOnly: number[];
	/** Index of the fence in `dates`, or dates.length when there is no fence. */
	fenceIndex: number;
	demand: Map<string, DemandEntry>;
	lateInbound: InboundSupply[];
	undatedInbound: InboundSupply[];
	undatedDemand: CommitmentDemand[];
	/** Cumulative requested (unconfirmed) demand; reported, never consumes ATP. */
	requested: DateQty[];
	allocated: number;
	inboundTotal: number;
	unknownSku: boolean;
	rmq: RangeMin;
}

/** The date a commitment ships on: the promised date, else the requested one; null if neither is a date. */
export function shipDate(c: CommitmentDemand): IsoDate | null {
	const raw = c.promisedDate ?? c.requestedDate;
	return isIsoDate(raw) ? raw : null;
}

const priorityOf = (c: CommitmentDemand) => (typeof c.priority === 'number' && !Number.isNaN(c.priority) ? c.priority : 0);

/**
 * Promise order of two dated confirmed commitments: ship date (the raw one, so an older past-due
 * promise still comes first), then priority descending, then id. Sorting is stable, so exact ties
 * (duplicate ids) keep their input order.
 */
export function promiseOrder(a: CommitmentDemand, aDate: IsoDate, b: CommitmentDemand, bDate: IsoDate): number {
	if (aDate !== bDate) return aDate < bDate ? -1 : 1;
	const pa = priorityOf(a);
	const pb = priorityOf(b);
	if (pa !== pb) return pa > pb ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function fenceDate(today: IsoDate, leadTimeDays: number | null): IsoDate | null {
	if (leadTimeDays === null || !Number.isFinite(leadTimeDays)) return null;
	return addDays(today, Math.max(0, Math.floor(leadTimeDays)));
}

export function buildProfile(input: AvailabilityInput): Profile {
	const today = input.today;
	const fence = fenceDate(today, input.leadTimeDays);
	const supplyAt = new Map<IsoDate, number>();
	const demandAt = new Map<IsoDate, number>();
	const requestedAt = new Map<IsoDate, number>();
	const add = (m: Map<IsoDate, number>, d: IsoDate, q: number) => m.set(d, (m.get(d) ?? 0) + q);

	const lateInbound: InboundSupply[] = [];
	const undatedInbound: InboundSupply[] = [];
	let inboundTotal = 0;
	for (const line of input.inbound) {
		if (!(line.qty > 0)) continue;
		inboundTotal += line.qty;
		if (!isIsoDate(line.eta)) {
			undatedInbound.push(line);
			continue;
		}
		// A late line is still expected: it counts from today, and is reported as late.
		if (line.eta < today) lateInbound.push(line);
		add(supplyAt, maxDate(line.eta, today), line.qty);
	}

	const undatedDemand: CommitmentDemand[] = [];
	const dated: { c: CommitmentDemand; raw: IsoDate; date: IsoDate }[] = [];
	let allocated = 0;
	for (const c of input.commitments) {
		if (c.status !== 'confirmed' && c.status !== 'requested') continue;
		if (!(c.qty > 0)) continue;
		const raw = c.status === 'confirmed' ? shipDate(c) : isIsoDate(c.requestedDate) ? c.requestedDate : shipDate(c);
		if (c.status === 'confirmed') allocated += c.qty;
		if (raw === null) {
			undatedDemand.push(c);
			continue;
		}
		// Past-due demand is still owed, so it is due now.
		const date = maxDate(raw, today);
		if (c.status === 'confirmed') {
			add(demandAt, date, c.qty);
			dated.push({ c, raw, date });
		} else add(requestedAt, date, c.qty);
	}

	const all = new Set<IsoDate>([today, ...supplyAt.keys(), ...demandAt.keys(), ...requestedAt.keys()]);
	if (fence) all.add(fence);
	const dates = [...all].sort();
	const index = new Map(dates.map((d, i) => [d, i] as const));

	const base = input.onHand - (input.backordered ?? 0);
	const balance: number[] = new Array(dates.length);
	const onHandOnly: number[] = new Array(dates.length);
	const requested: DateQty[] = [];
	let supply = 0;
	let demand = 0;
	let req = 0;
	for (let i = 0; i < dates.length; i++) {
		supply += supplyAt.get(dates[i]) ?? 0;
		demand += demandAt.get(dates[i]) ?? 0;
		balance[i] = base + supply - demand;
		onHandOnly[i] = base - demand;
		const r = requestedAt.get(dates[i]);
		if (i === 0 || r) requested.push({ date: dates[i], qty: (req += r ?? 0) });
	}

	// Served in promise order. Demand beyond the fence sorts after all demand before it (its date is
	// later), and undated demand is not here, so neither is counted against an earlier promise.
	dated.sort((a, b) => promiseOrder(a.c, a.raw, b.c, b.raw));
	const demandMap = new Map<string, DemandEntry>();
	let served = 0;
	for (const { c, date } of dated) demandMap.set(c.id, { date, index: index.get(date)!, qty: c.qty, served: (served += c.qty) });

	return {
		today,
		fence,
		safetyStock: input.safetyStock ?? 0,
		base,
		dates,
		balance,
		onHandOnly,
		fenceIndex: fence ? index.get(fence)! : dates.length,
		demand: demandMap,
		lateInbound,
		undatedInbound,
		undatedDemand,
		requested,
		allocated,
		inboundTotal,
		unknownSku: input.unknownSku ?? false,
		rmq: rangeMin(balance)
	};
}

/** Index of the step that holds `date` (dates before today are read as today). */
export function indexAt(p: Profile, date: IsoDate): number {
	let lo = 0;
	let hi = p.dates.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (p.dates[mid] <= date) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

export function exclusionFor(p: Profile, commitmentId: string | undefined): Exclusion | undefined {
	if (commitmentId === undefined) return undefined;
	const d = p.demand.get(commitmentId);
	return d ? { index: d.index, qty: d.qty } : undefined;
}

/** min of P over steps [lo, hi), with one commitment's demand optionally taken out. */
export function minBalance(p: Profile, lo: number, hi: number, ex?: Exclusion): number {
	if (!ex || hi <= ex.index) return p.rmq.min(lo, hi);
	if (lo >= ex.index) return p.rmq.min(lo, hi) + ex.qty;
	return Math.min(p.rmq.min(lo, ex.index), p.rmq.min(ex.index, hi) + ex.qty);
}

/**
 * Cumulative ATP at step i before the fence: demand at or beyond the fence is served by the
 * assumed supply, so it does not hold back stock before it. Infinity at or beyond the fence.
 */
export function fencedAtp(p: Profile, i: number, ex?: Exclusion): number {
	if (i >= p.fenceIndex) return Infinity;
	return Math.max(0, minBalance(p, i, p.fenceIndex, ex) - p.safetyStock);
}

/** Cumulative ATP from known supply only (no fence), over the whole known horizon. */
export function physicalAtp(p: Profile, i: number, ex?: Exclusion): number {
	return Math.max(0, minBalance(p, i, p.dates.length, ex) - p.safetyStock);
}

/** First step whose fenced ATP covers qty; ATP never decreases over time, so bisect. -1 if none. */
export function earliestIndex(p: Profile, qty: number, ex?: Exclusion): number {
	let lo = 0;
	let hi = p.fenceIndex;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (fencedAtp(p, mid, ex) >= qty) hi = mid;
		else lo = mid + 1;
	}
	return lo < p.fenceIndex ? lo : -1;
}
