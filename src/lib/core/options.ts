// Ways to keep a broken promise (DESIGN.md "Keeping a broken promise"), for one commitment that is
// short or at risk. Each option is a set of moves on the SKU's situation; it is kept only if, once
// applied, the commitment (every part of it) is better off and ATP-feasible where it ships, and no
// commitment of higher priority is worse off. Its effects are read by re-evaluating the whole SKU.
import type { IsoDate, Risk } from '../contract/domain.ts';
import type { OptionEffectView, PromiseOptionView } from '../contract/options.ts';
import { addDays, diffDays, maxDate } from './dates.ts';
import { buildProfile, shipDate } from './profile.ts';
import {
	applyMoves,
	candidateDates,
	earliestFeasible,
	evaluate,
	feasibleOn,
	fingerprint,
	hashOf,
	isWorse,
	locate,
	priorityOf,
	RISK_RANK,
	transitDays,
	type Move,
	type SkuSituation,
	type Verdict
} from './options.situation.ts';
import type { CommitmentDemand } from './types.ts';

export type OptionKind = 'later_date' | 'other_site' | 'split' | 'reallocate' | 'expedite';

/** The contract's shapes: the core computes exactly what the routes answer. */
export type OptionEffect = OptionEffectView;

export interface PromiseOption extends PromiseOptionView {
	/** The card changes that applying it makes. */
	moves: Move[];
}

export interface OptionsResult {
	commitmentId: string;
	risk: Risk;
	options: PromiseOption[];
}

/** Where each placed part must be ATP-feasible: its ship date at its site. */
interface Placement {
	id: string;
	site: string;
	qty: number;
	shipOn: IsoDate;
}

interface Ctx {
	sit: SkuSituation;
	before: Map<string, Verdict>;
	target: CommitmentDemand;
	site: string;
	date: IsoDate;
	risk: Risk;
	hash: string;
}

const MAX_TAKES = 3;
/** Inbound lines tried for expediting, soonest ETA first: each costs a handful of evaluations. */
const MAX_EXPEDITE_LINES = 8;
const TAKE_POOL = 10;
const KIND_ORDER: OptionKind[] = ['later_date', 'other_site', 'split', 'reallocate', 'expedite'];

/** The part that has to get better: short → not short, at risk → ok. */
const better = (risk: Risk, goal: Risk) => RISK_RANK[risk] < RISK_RANK[goal];

/** Judge a candidate: null unless it helps the commitment and spares every higher-priority one. */
function judge(ctx: Ctx, kind: OptionKind, moves: Move[], placements: Placement[], extra: Omit<PromiseOption, 'id' | 'kind' | 'effects' | 'worseCount' | 'moves'>): PromiseOption | null {
	const next = applyMoves(ctx.sit, moves);
	for (const pl of placements) {
		const at = next.sites.find((s) => s.site === pl.site);
		if (!at || !feasibleOn(at.input, pl.qty, pl.shipOn, pl.id)) return null;
	}
	const after = evaluate(next);
	for (const pl of placements) {
		const v = after.get(pl.id);
		if (!v || !better(v.risk, ctx.risk)) return null;
	}
	const effects: OptionEffect[] = [];
	let worseCount = 0;
	for (const [id, b] of ctx.before) {
		const a = after.get(id);
		const worse = id !== ctx.target.id && isWorse(b, a);
		if (worse && b.priority > priorityOf(ctx.target)) return null;
		if (worse) worseCount++;
		const effect = {
			commitmentId: id,
			riskBefore: b.risk,
			riskAfter: a?.risk ?? b.risk,
			shortBefore: b.shortQty,
			shortAfter: a?.shortQty ?? b.shortQty,
			dateBefore: b.date,
			dateAfter: a?.date ?? b.date,
			worse
		};
		if (id === ctx.target.id) effects.unshift(effect);
		else effects.push(effect);
	}
	if (extra.parts) extra.parts = extra.parts.map((p) => ({ ...p, risk: after.get(p.commitmentId)?.risk ?? p.risk }));
	if (extra.takes) extra.takes = extra.takes.map((t) => ({ ...t, riskAfter: after.get(t.commitmentId)?.risk ?? t.riskAfter }));
	return { id: `${kind}-${hashOf([ctx.hash, ctx.target.id, kind, moves])}`, kind, effects, worseCount, moves, ...extra };
}

function laterDate(ctx: Ctx): PromiseOption | null {
	const at = ctx.sit.sites.find((s) => s.site === ctx.site)!;
	const p = buildProfile(at.input);
	const first = earliestFeasible(p, ctx.target.qty, ctx.target.id);
	if (first === null) return null;
	for (const d of candidateDates(at.input, maxDate(first, addDays(ctx.date, 1)))) {
		const moves: Move[] = [{ kind: 'update', id: ctx.target.id, site: ctx.site, promisedDate: d, qty: ctx.target.qty }];
		const o = judge(ctx, 'later_date', moves, [{ id: ctx.target.id, site: ctx.site, qty: ctx.target.qty, shipOn: d }], {
			summary: `Promise ${d} instead of ${ctx.date}`,
			date: d,
			site: ctx.site
		});
		if (o) return o;
	}
	return null;
}

function otherSites(ctx: Ctx): PromiseOption[] {
	const out: PromiseOption[] = [];
	for (const s of ctx.sit.sites) {
		if (s.site === ctx.site) continue;
		const days = transitDays(ctx.sit.lanes, s.site, ctx.site);
		if (days === null) continue;
		const shipOn = addDays(ctx.date, -days);
		if (shipOn < s.input.today) continue;
		const moves: Move[] = [{ kind: 'update', id: ctx.target.id, site: s.site, promisedDate: ctx.date, qty: ctx.target.qty }];
		const o = judge(ctx, 'other_site', moves, [{ id: ctx.target.id, site: s.site, qty: ctx.target.qty, shipOn }], {
			summary: `Ship from ${s.site} by ${shipOn} (${days} day${days === 1 ? '' : 's'} in transit)`,
			date: ctx.date,
			site: s.site
		});
		if (o) out.push(o);
	}
	return out;
}

/** Id of the second part of a split: linked by name, within the id pattern's 128 characters. */
export function splitId(id: string, taken: (id: string) => boolean): string {
	for (let n = 2; ; n++) {
		const suffix = `.${n}`;
		const candidate = id.length + suffix.length <= 128 ? id + suffix : `${id.slice(0, 128 - suffix.length - 9)}-${hashOf(id).slice(0, 8)}${suffix}`;
		if (!taken(candidate)) return candidate;
	}
}

function split(ctx: Ctx): PromiseOption | null {
	const q = ctx.target.qty;
	if (q < 2) return null;
	const newId = splitId(ctx.target.id, (id) => locate(ctx.sit, id) !== null);
	const keep = (n: number): Move => ({ kind: 'update', id: ctx.target.id, site: ctx.site, promisedDate: ctx.date, qty: n });
	// The biggest first part that is good at the current date: goodness only falls as qty grows.
	let lo = 0;
	let hi = q - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		const next = applyMoves(ctx.sit, [keep(mid)]);
		const at = next.sites.find((s) => s.site === ctx.site)!;
		const v = evaluate(next).get(ctx.target.id);
		if (v && better(v.risk, ctx.risk) && feasibleOn(at.input, mid, ctx.date, ctx.target.id)) lo = mid;
		else hi = mid - 1;
	}
	if (lo === 0) return null;
	const first = lo;
	const rest = q - first;
	const shrunk = applyMoves(ctx.sit, [keep(first)]).sites.find((s) => s.site === ctx.site)!;
	for (const d of candidateDates(shrunk.input, addDays(ctx.date, 1))) {
		const moves: Move[] = [keep(first), { kind: 'create', id: newId, from: ctx.target.id, site: ctx.site, promisedDate: d, qty: rest }];
		const placements = [
			{ id: ctx.target.id, site: ctx.site, qty: first, shipOn: ctx.date },
			{ id: newId, site: ctx.site, qty: rest, shipOn: d }
		];
		const o = judge(ctx, 'split', moves, placements, {
			summary: `Ship ${first} on ${ctx.date} and ${rest} on ${d}`,
			date: d,
			site: ctx.site,
			parts: [
				{ qty: first, date: ctx.date, site: ctx.site, commitmentId: ctx.target.id, risk: ctx.risk },
				{ qty: rest, date: d, site: ctx.site, commitmentId: newId, risk: ctx.risk }
			]
		});
		if (o) return o;
	}
	return null;
}

function* combinations<T>(xs: readonly T[], k: number, from = 0): Generator<T[]> {
	if (k === 0) {
		yield [];
		return;
	}
	for (let i = from; i <= xs.length - k; i++) for (const rest of combinations(xs, k - 1, i + 1)) yield [xs[i], ...rest];
}

/**
 * Take the stock of lower-priority commitments at the same site: the smallest set that frees
 * enough, each re-dated to its own earliest feasible date once the commitment holds (higher
 * priority first). Among sets of that size, the one ranked best.
 */
function reallocate(ctx: Ctx): PromiseOption | null {
	const at = ctx.sit.sites.find((s) => s.site === ctx.site)!;
	const pool = at.input.commitments
		.filter((c) => c.status === 'confirmed' && c.id !== ctx.target.id && c.qty > 0 && shipDate(c) !== null && priorityOf(c) < priorityOf(ctx.target))
		.sort((a, b) => priorityOf(a) - priorityOf(b) || (shipDate(b)! > shipDate(a)! ? 1 : shipDate(b)! < shipDate(a)! ? -1 : 0) || (a.id < b.id ? -1 : 1))
		.slice(0, TAKE_POOL);
	for (let k = 1; k <= Math.min(MAX_TAKES, pool.length); k++) {
		let best: PromiseOption | null = null;
		for (const taken of combinations(pool, k)) {
			const o = takeFrom(ctx, taken);
			if (o && (!best || compareOptions(o, best) < 0)) best = o;
		}
		if (best) return best;
	}
	return null;
}

function takeFrom(ctx: Ctx, taken: CommitmentDemand[]): PromiseOption | null {
	let sit: SkuSituation = {
		lanes: ctx.sit.lanes,
		sites: ctx.sit.sites.map((s) => (s.site === ctx.site ? { site: s.site, input: { ...s.input, commitments: s.input.commitments.filter((c) => !taken.includes(c)) } } : s))
	};
	const moves: Move[] = [];
	const placements: Placement[] = [{ id: ctx.target.id, site: ctx.site, qty: ctx.target.qty, shipOn: ctx.date }];
	const takes: NonNullable<PromiseOption['takes']> = [];
	const order = [...taken].sort((a, b) => priorityOf(b) - priorityOf(a) || (shipDate(a)! < shipDate(b)! ? -1 : 1));
	for (const o of order) {
		const input = sit.sites.find((s) => s.site === ctx.site)!.input;
		const was = shipDate(o)!;
		const earliest = earliestFeasible(buildProfile(input), o.qty);
		// It must wait: still feasible where it was means it gave nothing up.
		if (earliest === null || earliest <= maxDate(was, input.today)) return null;
		const move: Move = { kind: 'update', id: o.id, site: ctx.site, promisedDate: earliest, qty: o.qty };
		moves.push(move);
		placements.push({ id: o.id, site: ctx.site, qty: o.qty, shipOn: earliest });
		takes.push({ commitmentId: o.id, qty: o.qty, promisedDate: earliest, riskAfter: 'unknown' });
		sit = {
			lanes: sit.lanes,
			sites: sit.sites.map((s) => (s.site === ctx.site ? { site: s.site, input: { ...s.input, commitments: [...s.input.commitments, { ...o, promisedDate: earliest }] } } : s))
		};
	}
	// Only the commitment itself has to get better; the ones it takes from need only stay feasible.
	const judged = judge(ctx, 'reallocate', moves, placements.slice(0, 1), {
		summary: `Take ${takes.map((t) => `${t.qty} from ${t.commitmentId} (→ ${t.promisedDate})`).join(', ')}`,
		date: ctx.date,
		site: ctx.site,
		takes
	});
	if (!judged) return null;
	const next = applyMoves(ctx.sit, moves).sites.find((s) => s.site === ctx.site)!.input;
	for (const pl of placements.slice(1)) if (!feasibleOn(next, pl.qty, pl.shipOn, pl.id)) return null;
	return judged;
}

/** Each inbound line that, arriving in time, would hold the promise: the latest ETA that does. */
function expedite(ctx: Ctx): PromiseOption[] {
	const at = ctx.sit.sites.find((s) => s.site === ctx.site)!;
	const today = at.input.today;
	const out: PromiseOption[] = [];
	const lines = at.input.inbound
		.filter((l) => l.qty > 0 && (l.eta === null || l.eta > ctx.date))
		.sort((a, b) => (a.eta ?? '9999').localeCompare(b.eta ?? '9999') || a.key.localeCompare(b.key))
		.slice(0, MAX_EXPEDITE_LINES);
	for (const line of lines) {
		const attempt = (eta: IsoDate) =>
			judge(ctx, 'expedite', [{ kind: 'expedite', site: ctx.site, line: line.key, eta }], [{ id: ctx.target.id, site: ctx.site, qty: ctx.target.qty, shipOn: ctx.date }], {
				summary: `Expedite ${line.key} to arrive by ${eta}${line.eta ? ` (now ${line.eta})` : ''}`,
				date: ctx.date,
				site: ctx.site,
				po: { po: line.key, neededEta: eta }
			});
		// An earlier arrival only adds supply earlier, so the good ETAs are one run ending at `today`.
		let lo = 0;
		let hi = diffDays(maxDate(ctx.date, today), today);
		if (!attempt(today)) continue;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (attempt(addDays(today, mid))) lo = mid;
			else hi = mid - 1;
		}
		out.push(attempt(addDays(today, lo))!);
	}
	return out;
}

const moveCount = (o: PromiseOption) => new Set(o.moves.map((m) => (m.kind === 'expedite' ? `line:${m.line}` : m.id))).size;

/** Best first: fewest commitments made worse, then earliest date, then fewest moves. */
export function compareOptions(a: PromiseOption, b: PromiseOption): number {
	return (
		a.worseCount - b.worseCount ||
		(a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
		moveCount(a) - moveCount(b) ||
		KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
		(a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}

/**
 * Ranked options for one commitment. None for a commitment that is ok, unknown, unconfirmed, has
 * no date or no site in the situation: there is nothing to repair, or nothing to reason from.
 */
export function commitmentOptions(sit: SkuSituation, commitmentId: string): OptionsResult {
	const before = evaluate(sit);
	const found = locate(sit, commitmentId);
	const verdict = before.get(commitmentId);
	const risk: Risk = verdict?.risk ?? 'unknown';
	if (!found || !verdict || verdict.date === null || (risk !== 'short' && risk !== 'at_risk')) return { commitmentId, risk, options: [] };
	const ctx: Ctx = { sit, before, target: found.c, site: found.site, date: verdict.date, risk, hash: hashOf(fingerprint(sit)) };
	const options = [laterDate(ctx), ...otherSites(ctx), split(ctx), reallocate(ctx), ...expedite(ctx)].filter((o): o is PromiseOption => o !== null);
	return { commitmentId, risk, options: options.sort(compareOptions) };
}
