import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IsoDate, Risk } from '../contract/domain.ts';
import { addDays } from './dates.ts';
import { commitmentOptions, type PromiseOption } from './options.ts';
import { applyMoves, type Move, type SkuSituation } from './options.situation.ts';
import { replan } from './replan.ts';
import { availabilityArb } from './testing/arbitraries.ts';
import { naiveFencedAtp, naiveModel, naiveRisk } from './testing/naive.reference.ts';
import type { CommitmentDemand } from './types.ts';

// Everything here is judged by the day-by-day reference, never by the code under test.
interface Seen {
	risk: Risk;
	shortQty: number;
	date: IsoDate | null;
	qty: number;
	priority: number;
	site: string;
}
const RANK: Record<Risk, number> = { ok: 0, at_risk: 1, short: 2, unknown: 3 };
const dueOf = (c: CommitmentDemand) => c.promisedDate ?? c.requestedDate;

function naiveAll(sit: SkuSituation): Map<string, Seen> {
	const out = new Map<string, Seen>();
	for (const { site, input } of sit.sites) {
		const m = naiveModel(input);
		for (const c of input.commitments)
			if (c.status === 'confirmed') out.set(c.id, { ...naiveRisk(m, c), date: dueOf(c), qty: c.qty, priority: c.priority ?? 0, site });
	}
	return out;
}

function worse(b: Seen, a: Seen | undefined): boolean {
	if (!a) return true;
	if (RANK[a.risk] !== RANK[b.risk]) return RANK[a.risk] > RANK[b.risk];
	if (a.shortQty !== b.shortQty) return a.shortQty > b.shortQty;
	if (b.date && a.date && a.date !== b.date) return a.date > b.date;
	return a.qty < b.qty;
}

const feasible = (sit: SkuSituation, site: string, id: string, qty: number, on: IsoDate) => {
	const input = sit.sites.find((s) => s.site === site)!.input;
	return naiveFencedAtp(naiveModel(input, [on]), on < input.today ? input.today : on, id) >= qty;
};

/** Brute force: is this set of moves an acceptable option for `id`, judged by the reference? */
function acceptable(sit: SkuSituation, id: string, moves: Move[], checks: { id: string; site: string; qty: number; on: IsoDate }[], mustImprove: string[]): boolean {
	const before = naiveAll(sit);
	const target = before.get(id)!;
	const next = applyMoves(sit, moves);
	if (!checks.every((c) => feasible(next, c.site, c.id, c.qty, c.on))) return false;
	const after = naiveAll(next);
	if (!mustImprove.every((p) => RANK[after.get(p)?.risk ?? 'unknown'] < RANK[target.risk])) return false;
	for (const [cid, b] of before) if (cid !== id && b.priority > target.priority && worse(b, after.get(cid))) return false;
	return true;
}

const situationArb: fc.Arbitrary<SkuSituation> = fc
	.tuple(availabilityArb, availabilityArb, fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }))
	.map(([a, b, transit]) => ({
		sites: [
			{ site: 'A', input: { ...a, unknownSku: false } },
			{ site: 'B', input: { ...b, unknownSku: false, commitments: b.commitments.map((c) => ({ ...c, id: `B${c.id}` })) } }
		],
		lanes: transit === null ? [] : [{ from: 'B', to: 'A', transitDays: transit }]
	}));

function* everyOption(sit: SkuSituation): Generator<{ id: string; option: PromiseOption }> {
	for (const { input } of sit.sites) for (const c of input.commitments) for (const option of commitmentOptions(sit, c.id).options) yield { id: c.id, option };
}

const shipOnOf = (sit: SkuSituation, o: PromiseOption, m: Move & { kind: 'update' | 'create' }): IsoDate => {
	if (o.kind !== 'other_site') return m.promisedDate;
	const days = sit.lanes[0].transitDays;
	return addDays(m.promisedDate, -days);
};

describe('options against the day-by-day reference', () => {
	it('an applied option never makes a commitment of higher priority worse, and every proposed date is feasible', () => {
		fc.assert(
			fc.property(situationArb, (sit) => {
				for (const { id, option } of everyOption(sit)) {
					const before = naiveAll(sit);
					const target = before.get(id)!;
					const next = applyMoves(sit, option.moves);
					const after = naiveAll(next);
					for (const [cid, b] of before) if (b.priority > target.priority) expect(worse(b, after.get(cid))).toBe(false);
					for (const m of option.moves) {
						if (m.kind === 'expedite') expect(feasible(next, m.site, id, target.qty, target.date!)).toBe(true);
						else expect(feasible(next, m.site, m.id, m.qty, shipOnOf(sit, option, m))).toBe(true);
					}
					// The commitment itself (each part of a split) is better off than it was.
					for (const part of option.parts ?? [{ commitmentId: id }]) expect(RANK[after.get(part.commitmentId)!.risk]).toBeLessThan(RANK[target.risk]);
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('agrees with a brute-force search: later date, other site, split, expedite and the size of a reallocation', () => {
		fc.assert(
			fc.property(situationArb, (sit) => {
				const before = naiveAll(sit);
				for (const [id, t] of before) {
					if ((t.risk !== 'short' && t.risk !== 'at_risk') || t.date === null) continue;
					const { options } = commitmentOptions(sit, id);
					const of = (k: PromiseOption['kind']) => options.filter((o) => o.kind === k);
					const input = sit.sites.find((s) => s.site === t.site)!.input;
					const start = t.date < input.today ? input.today : t.date;
					// Past the last day anything happens, every day reads the same: the brute force stops there.
					const last = naiveModel(input).days.at(-1)!;
					const horizon = Array.from({ length: 40 }, (_, i) => addDays(start, i + 1)).filter((d) => d <= last);

					const later = horizon.find((d) =>
						acceptable(sit, id, [{ kind: 'update', id, site: t.site, promisedDate: d, qty: t.qty }], [{ id, site: t.site, qty: t.qty, on: d }], [id])
					);
					expect(of('later_date').map((o) => o.date)).toEqual(later ? [later] : []);

					// One lane between A and B, read in either direction.
					const sites = sit.lanes.length ? [t.site === 'A' ? 'B' : 'A'] : [];
					const other = sites.filter((s) => {
						const on = addDays(t.date!, -sit.lanes[0].transitDays);
						const today = sit.sites.find((x) => x.site === s)!.input.today;
						return on >= today && acceptable(sit, id, [{ kind: 'update', id, site: s, promisedDate: t.date!, qty: t.qty }], [{ id, site: s, qty: t.qty, on }], [id]);
					});
					expect(of('other_site').map((o) => o.site)).toEqual(other);

					const expedite = input.inbound
						.filter((l) => l.qty > 0 && (l.eta === null || l.eta > t.date!))
						.flatMap((l) => {
							const etas = Array.from({ length: 40 }, (_, i) => addDays(input.today, i)).filter((e) => e <= start).reverse();
							const e = etas.find((eta) => acceptable(sit, id, [{ kind: 'expedite', site: t.site, line: l.key, eta }], [{ id, site: t.site, qty: t.qty, on: t.date! }], [id]));
							return e ? [{ po: l.key, neededEta: e }] : [];
						});
					const byPo = (a: { po: string }, b: { po: string }) => (a.po < b.po ? -1 : 1);
					expect(of('expedite').map((o) => o.po!).sort(byPo)).toEqual(expedite.sort(byPo));

					const splits = of('split');
					if (splits.length) {
						const [first, rest] = splits[0].parts!;
						const keep: Move = { kind: 'update', id, site: t.site, promisedDate: t.date, qty: first.qty };
						const good = (q: number) => acceptable(sit, id, [{ ...keep, qty: q }], [{ id, site: t.site, qty: q, on: t.date! }], [id]);
						expect(good(first.qty)).toBe(true);
						if (first.qty + 1 < t.qty) expect(good(first.qty + 1)).toBe(false);
						const at = (d: IsoDate) =>
							acceptable(sit, id, [keep, { kind: 'create', id: rest.commitmentId, from: id, site: t.site, promisedDate: d, qty: rest.qty }], [{ id, site: t.site, qty: first.qty, on: t.date! }, { id: rest.commitmentId, site: t.site, qty: rest.qty, on: d }], [id, rest.commitmentId]);
						expect(horizon.find(at)).toBe(rest.date);
					}

					for (const o of of('reallocate')) {
						// No single lower-priority commitment could do it if the option takes two or more.
						if (o.takes!.length > 1) expect(options.some((x) => x.kind === 'reallocate' && x.takes!.length === 1)).toBe(false);
						expect(o.takes!.every((tk) => before.get(tk.commitmentId)!.priority < t.priority)).toBe(true);
					}
				}
			}),
			{ numRuns: 150 }
		);
	});
});

describe('replan against the day-by-day reference', () => {
	it('never moves a promise earlier; every promise it moves is feasible where it lands; highest priority first', () => {
		fc.assert(
			fc.property(availabilityArb, (input) => {
				const { before, after } = replan(input);
				expect(after.map((r) => r.commitmentId)).toEqual(before.map((r) => r.commitmentId));
				for (let i = 1; i < after.length; i++) expect(after[i].priority).toBeLessThanOrEqual(after[i - 1].priority);
				// What the re-plan could cover, judged without the ones it could not (those go last, still short).
				const uncovered = new Set(after.filter((r) => r.covered === false).map((r) => r.commitmentId));
				const placed = {
					...input,
					commitments: input.commitments
						.filter((c) => !uncovered.has(c.id))
						.map((c) => ({ ...c, promisedDate: after.find((r) => r.commitmentId === c.id)?.promisedDate ?? c.promisedDate }))
				};
				const m = naiveModel(placed);
				before.forEach((b, i) => {
					const a = after[i];
					if (a.promisedDate === b.promisedDate) return;
					expect(a.promisedDate! > (b.promisedDate ?? '')).toBe(true);
					if (!uncovered.has(a.commitmentId)) expect(naiveFencedAtp(m, a.promisedDate!, a.commitmentId)).toBeGreaterThanOrEqual(a.qty);
				});
			}),
			{ numRuns: 1000 }
		);
	});
});
