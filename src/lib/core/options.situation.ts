// One SKU across its sites, as the options search sees it: every site's availability input plus the
// lanes between sites. Options are "moves" on this situation; applying moves is pure, and every
// option is judged by re-evaluating the whole SKU with the same risk code the engine runs.
import type { IsoDate, Risk } from '../contract/domain.ts';
import { addDays, maxDate } from './dates.ts';
import { buildProfile, earliestIndex, exclusionFor, fencedAtp, indexAt, shipDate, type Profile } from './profile.ts';
import { riskOnProfile } from './risk.ts';
import type { AvailabilityInput, CommitmentDemand } from './types.ts';

export interface Lane {
	from: string;
	to: string;
	transitDays: number;
}

export interface SiteInput {
	site: string;
	input: AvailabilityInput;
}

export interface SkuSituation {
	sites: readonly SiteInput[];
	lanes: readonly Lane[];
}

/** What applying an option writes: commitment records (changed or new) and inbound ETAs. */
export type Move =
	| { kind: 'update'; id: string; site: string; promisedDate: IsoDate; qty: number }
	| { kind: 'create'; id: string; from: string; site: string; promisedDate: IsoDate; qty: number }
	| { kind: 'expedite'; site: string; line: string; eta: IsoDate };

export interface Verdict {
	site: string;
	risk: Risk;
	shortQty: number;
	date: IsoDate | null;
	priority: number;
	qty: number;
}

export const RISK_RANK: Record<Risk, number> = { ok: 0, at_risk: 1, short: 2, unknown: 3 };

export const priorityOf = (c: CommitmentDemand) => (typeof c.priority === 'number' && !Number.isNaN(c.priority) ? c.priority : 0);

/** Where a commitment is: its site and record, or null. */
export function locate(sit: SkuSituation, id: string): { site: string; c: CommitmentDemand; input: AvailabilityInput } | null {
	for (const s of sit.sites) {
		const c = s.input.commitments.find((x) => x.id === id);
		if (c) return { site: s.site, c, input: s.input };
	}
	return null;
}

/** Every confirmed commitment of the SKU with its risk, evaluated site by site (one profile each). */
export function evaluate(sit: SkuSituation): Map<string, Verdict> {
	const out = new Map<string, Verdict>();
	for (const { site, input } of sit.sites) {
		const p = buildProfile(input);
		for (const c of input.commitments) {
			if (c.status !== 'confirmed') continue;
			const r = riskOnProfile(p, c);
			out.set(c.id, { site, risk: r.risk, shortQty: r.shortQty, date: shipDate(c), priority: priorityOf(c), qty: c.qty });
		}
	}
	return out;
}

/** Worse for its customer: a worse risk, a bigger shortage, a later date or less quantity on it. */
export function isWorse(before: Verdict, after: Verdict | undefined): boolean {
	if (!after) return true;
	if (RISK_RANK[after.risk] !== RISK_RANK[before.risk]) return RISK_RANK[after.risk] > RISK_RANK[before.risk];
	if (after.shortQty !== before.shortQty) return after.shortQty > before.shortQty;
	if (before.date !== null && after.date !== null && after.date !== before.date) return after.date > before.date;
	return after.qty < before.qty;
}

export function applyMoves(sit: SkuSituation, moves: readonly Move[]): SkuSituation {
	const sites = sit.sites.map((s) => ({ site: s.site, input: { ...s.input, inbound: [...s.input.inbound], commitments: [...s.input.commitments] } }));
	const at = (site: string) => sites.find((s) => s.site === site);
	for (const m of moves) {
		if (m.kind === 'expedite') {
			const s = at(m.site);
			if (s) s.input.inbound = s.input.inbound.map((l) => (l.key === m.line ? { ...l, eta: m.eta } : l));
			continue;
		}
		const source = m.kind === 'update' ? m.id : m.from;
		let record: CommitmentDemand | undefined;
		for (const s of sites) {
			const found = s.input.commitments.find((c) => c.id === source);
			if (!found) continue;
			record = found;
			if (m.kind === 'update') s.input.commitments = s.input.commitments.filter((c) => c.id !== m.id);
		}
		const target = at(m.site);
		if (!record || !target) continue;
		target.input.commitments = [
			...target.input.commitments,
			{ ...record, id: m.id, qty: m.qty, status: 'confirmed', promisedDate: m.promisedDate, requestedDate: record.requestedDate }
		];
	}
	return { sites, lanes: sit.lanes };
}

/** Transit days from one site to another: the lane in that direction, else the reverse one. */
export function transitDays(lanes: readonly Lane[], from: string, to: string): number | null {
	const lane = lanes.find((l) => l.from === from && l.to === to) ?? lanes.find((l) => l.from === to && l.to === from);
	return lane ? lane.transitDays : null;
}

/** qty ≤ ATP(date) at a site with the commitment itself left out (DESIGN "Promise check"). */
export function feasibleOn(input: AvailabilityInput, qty: number, date: IsoDate, excludeId?: string): boolean {
	const p = buildProfile(input);
	return fencedAtp(p, indexAt(p, maxDate(date, p.today)), exclusionFor(p, excludeId)) >= qty;
}

/** The earliest ATP-feasible date for qty, the commitment itself left out (the fence if only it helps). */
export function earliestFeasible(p: Profile, qty: number, excludeId?: string): IsoDate | null {
	const i = earliestIndex(p, qty, exclusionFor(p, excludeId));
	return i >= 0 ? p.dates[i] : p.fence;
}

/**
 * Dates on or after `from` where placing a commitment can first change its verdict: its risk and
 * its ATP only change on days something else happens (a receipt, a promise, the fence), and each
 * such day is at least as good as the quiet days after it, so the earliest good day is among these.
 */
export function candidateDates(input: AvailabilityInput, from: IsoDate, limit = 400): IsoDate[] {
	const start = maxDate(from, input.today);
	const out = new Set<IsoDate>([start]);
	const add = (d: IsoDate | null | undefined) => {
		if (d && /^\d{4}-\d{2}-\d{2}$/.test(d) && maxDate(d, input.today) > start) out.add(maxDate(d, input.today));
	};
	for (const l of input.inbound) add(l.eta);
	for (const c of input.commitments) add(shipDate(c));
	if (input.leadTimeDays !== null && Number.isFinite(input.leadTimeDays)) add(addDays(input.today, Math.max(0, Math.floor(input.leadTimeDays))));
	return [...out].sort().slice(0, limit);
}

/**
 * A short, stable hash (two FNV-1a lanes, 64 bits) of the inputs an option was computed from, so
 * an option id changes whenever the situation it answers does (apply answers 409 then).
 */
export function hashOf(value: unknown): string {
	const text = JSON.stringify(value);
	let h1 = 0x811c9dc5;
	let h2 = 0x01000193 ^ text.length;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 0x01000193) >>> 0;
		h2 = Math.imul(h2 ^ ch, 0x5bd1e995) >>> 0;
		h2 ^= h2 >>> 15;
	}
	return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** The situation in a canonical order, so the same facts always hash alike. */
export function fingerprint(sit: SkuSituation): unknown {
	const byKey = <T>(xs: readonly T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
	return {
		sites: byKey(sit.sites, (s) => s.site).map(({ site, input }) => ({
			site,
			today: input.today,
			onHand: input.onHand,
			backordered: input.backordered ?? 0,
			ss: input.safetyStock ?? 0,
			lt: input.leadTimeDays,
			unknown: input.unknownSku ?? false,
			inbound: byKey(input.inbound, (l) => l.key).map((l) => [l.key, l.qty, l.eta]),
			commitments: byKey(input.commitments, (c) => c.id).map((c) => [c.id, c.qty, c.status, c.requestedDate, c.promisedDate, priorityOf(c)])
		})),
		lanes: byKey(sit.lanes, (l) => `${l.from}\u0000${l.to}`).map((l) => [l.from, l.to, l.transitDays])
	};
}
