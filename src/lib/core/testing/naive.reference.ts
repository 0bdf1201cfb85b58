// A deliberately naive model of DESIGN.md's ATP rules: it walks the calendar one day at a time and
// re-sums every line for every day. Slow and obviously right; the fast core is checked against it.
import type { IsoDate } from '../../contract/domain.ts';
import { addDays, isIsoDate } from '../dates.ts';
import type { AvailabilityInput, CommitmentDemand, CommitmentRisk } from '../types.ts';
import type { PromiseResult } from '../promise.ts';

const later = (a: IsoDate, b: IsoDate) => (a > b ? a : b);

export interface NaiveModel {
	input: AvailabilityInput;
	fence: IsoDate | null;
	days: IsoDate[];
	ss: number;
	// Memo of naiveP per day; it only saves repeated work, every value is still re-summed once.
	memo: Map<string, number>;
}

export function naiveModel(input: AvailabilityInput, extraDates: IsoDate[] = []): NaiveModel {
	const fence = input.leadTimeDays === null ? null : addDays(input.today, input.leadTimeDays);
	let end = input.today;
	for (const l of input.inbound) if (isIsoDate(l.eta)) end = later(end, l.eta);
	for (const c of input.commitments) {
		if (isIsoDate(c.requestedDate)) end = later(end, c.requestedDate);
		if (isIsoDate(c.promisedDate)) end = later(end, c.promisedDate);
	}
	if (fence) end = later(end, fence);
	for (const d of extraDates) end = later(end, d);
	end = addDays(end, 1);
	const days: IsoDate[] = [];
	for (let d = input.today; d <= end; d = addDays(d, 1)) days.push(d);
	return { input, fence, days, ss: input.safetyStock ?? 0, memo: new Map() };
}

function dueDate(c: CommitmentDemand): IsoDate | null {
	const d = c.promisedDate ?? c.requestedDate;
	return isIsoDate(d) ? d : null;
}

/** P(t) re-summed from scratch, optionally without one commitment. */
export function naiveP(m: NaiveModel, t: IsoDate, excludeId?: string, withoutInbound = false): number {
	const key = `${t}|${excludeId ?? ''}|${withoutInbound}`;
	let p = m.memo.get(key);
	if (p === undefined) m.memo.set(key, (p = sumP(m, t, excludeId, withoutInbound)));
	return p;
}

function sumP(m: NaiveModel, t: IsoDate, excludeId: string | undefined, withoutInbound: boolean): number {
	const { input } = m;
	let p = input.onHand - (input.backordered ?? 0);
	if (!withoutInbound)
		for (const l of input.inbound) if (l.qty > 0 && isIsoDate(l.eta) && later(l.eta, input.today) <= t) p += l.qty;
	for (const c of input.commitments) {
		if (c.status !== 'confirmed' || c.id === excludeId || !(c.qty > 0)) continue;
		const d = dueDate(c);
		if (d !== null && later(d, input.today) <= t) p -= c.qty;
	}
	return p;
}

function minP(m: NaiveModel, from: IsoDate, before: IsoDate | null, excludeId?: string): number {
	let min = Infinity;
	for (const d of m.days) if (d >= from && (before === null || d < before)) min = Math.min(min, naiveP(m, d, excludeId));
	return min;
}

export function naiveFencedAtp(m: NaiveModel, t: IsoDate, excludeId?: string): number {
	if (m.fence !== null && t >= m.fence) return Infinity;
	return Math.max(0, minP(m, t, m.fence, excludeId) - m.ss);
}

export function naivePhysicalAtp(m: NaiveModel, t: IsoDate, excludeId?: string): number {
	return Math.max(0, minP(m, t, null, excludeId) - m.ss);
}

export function naivePromise(m: NaiveModel, qty: number, date: IsoDate, excludeId?: string): PromiseResult {
	const day = later(date, m.input.today);
	let earliestDate: IsoDate | null = null;
	for (const d of m.days)
		if (naiveFencedAtp(m, d, excludeId) >= qty) {
			earliestDate = d;
			break;
		}
	const feasible = earliestDate !== null && earliestDate <= day;
	const shortQty = feasible ? 0 : qty - naiveFencedAtp(m, day, excludeId);
	const used = feasible ? day : earliestDate;
	const needsPo = used !== null && m.fence !== null && used >= m.fence && qty > naivePhysicalAtp(m, used, excludeId);
	return { feasible, earliestDate, shortQty, needsPo };
}

/**
 * Does commitment a (ship date ad, position ai in the input) come before b in promise order?
 * Written as a plain tuple comparison: (ship date, −priority, id, input position).
 */
function promisedBefore(a: CommitmentDemand, ad: IsoDate, ai: number, b: CommitmentDemand, bd: IsoDate, bi: number): boolean {
	if (ad !== bd) return ad < bd;
	const pa = a.priority ?? 0;
	const pb = b.priority ?? 0;
	if (pa !== pb) return pa > pb;
	if (a.id !== b.id) return a.id < b.id;
	return ai < bi;
}

/**
 * Allocation in promise order, re-derived the slow way: walk the calendar day by day up to the
 * commitment's effective date adding every receipt that lands on each day, and compare it with
 * every other commitment to add up what is served before it (itself included).
 */
export function naiveRisk(m: NaiveModel, c: CommitmentDemand): CommitmentRisk {
	const { input } = m;
	const unknown: CommitmentRisk = { risk: 'unknown', shortQty: 0, earliestDate: null };
	const due = dueDate(c);
	if (due === null) return unknown;
	if (!(c.qty > 0)) return input.unknownSku ? unknown : { risk: 'ok', shortQty: 0, earliestDate: null };
	const d = later(due, input.today);

	let arrived = 0;
	for (const t of m.days) {
		if (t > d) break;
		for (const l of input.inbound) if (l.qty > 0 && isIsoDate(l.eta) && later(l.eta, input.today) === t) arrived += l.qty;
	}

	const ci = input.commitments.indexOf(c);
	let served = 0;
	input.commitments.forEach((o, oi) => {
		if (o.status !== 'confirmed' || !(o.qty > 0)) return;
		const od = dueDate(o);
		if (od === null) return;
		if (oi === ci || promisedBefore(o, od, oi, c, due, ci)) served += o.qty;
	});

	const onHandOnly = input.onHand - (input.backordered ?? 0) - served;
	const p = onHandOnly + arrived;
	const beyond = m.fence !== null && d >= m.fence;
	if (!beyond && p < 0)
		return { risk: 'short', shortQty: Math.min(c.qty, -p), earliestDate: naivePromise(m, c.qty, d, c.id).earliestDate };
	if (input.unknownSku) return unknown;
	const atRisk = p < 0 || p < m.ss || onHandOnly < 0;
	return { risk: atRisk ? 'at_risk' : 'ok', shortQty: 0, earliestDate: null };
}
