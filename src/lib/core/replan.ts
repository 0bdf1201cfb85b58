// Re-planning one SKU×site after supply changed (DESIGN.md "Keeping a broken promise"), anchored on
// SAP aATP backorder processing: the open promises are taken back and confirmed again one by one,
// highest priority first, then by date, each at the earliest ATP-feasible date on or after the date
// it has now. A commitment never moves earlier than it was promised: a re-plan redistributes the
// shortage, it does not re-negotiate dates customers already agreed to.
import type { IsoDate, Risk } from '../contract/domain.ts';
import { maxDate } from './dates.ts';
import { buildProfile, earliestIndex, shipDate } from './profile.ts';
import { riskOnProfile } from './risk.ts';
import type { AvailabilityInput, CommitmentDemand } from './types.ts';

export interface ReplanRow {
	commitmentId: string;
	customer: string | null;
	qty: number;
	priority: number;
	status: CommitmentDemand['status'];
	promisedDate: IsoDate | null;
	risk: Risk;
	shortQty: number;
	/** After rows of confirmed dated commitments: false when no date covers it (it goes last). */
	covered?: boolean;
}

export interface ReplanResult {
	/** Every open commitment in processing order: priority, then date, then id. */
	before: ReplanRow[];
	/** The same commitments, same order, with their proposed dates and the risks those give. */
	after: ReplanRow[];
}

const priorityOf = (c: CommitmentDemand) => (typeof c.priority === 'number' && !Number.isNaN(c.priority) ? c.priority : 0);

function rows(input: AvailabilityInput, order: readonly CommitmentDemand[]): ReplanRow[] {
	const p = buildProfile(input);
	const byId = new Map(input.commitments.map((c) => [c.id, c]));
	return order.map((o) => {
		const c = byId.get(o.id)!;
		const r = c.status === 'confirmed' ? riskOnProfile(p, c) : { risk: 'unknown' as Risk, shortQty: 0 };
		return {
			commitmentId: c.id,
			customer: c.customer ?? null,
			qty: c.qty,
			priority: priorityOf(c),
			status: c.status,
			promisedDate: c.promisedDate,
			risk: r.risk,
			shortQty: r.shortQty
		};
	});
}

/**
 * Confirmed dated commitments are re-placed; requested and undated ones are listed unchanged (they
 * consume no ATP). One that no date can cover (no fence, not enough known supply) stays short: it
 * goes after the last day anything happens (or keeps a date already that late), where it is served
 * last and so cannot take what a more important promise was just given.
 */
export function replan(input: AvailabilityInput): ReplanResult {
	const open = input.commitments.filter((c) => c.status === 'confirmed' || c.status === 'requested');
	const dateOf = (c: CommitmentDemand) => shipDate(c) ?? '9999-12-31';
	const order = [...open].sort(
		(a, b) => priorityOf(b) - priorityOf(a) || (dateOf(a) < dateOf(b) ? -1 : dateOf(a) > dateOf(b) ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
	const movable = (c: CommitmentDemand) => c.status === 'confirmed' && c.qty > 0 && shipDate(c) !== null;
	const placed: CommitmentDemand[] = input.commitments.filter((c) => !movable(c));
	const uncovered = new Set<string>();
	for (const c of order) {
		if (!movable(c)) continue;
		const p = buildProfile({ ...input, commitments: placed });
		const was = shipDate(c)!;
		const i = earliestIndex(p, c.qty);
		if (i < 0 && p.fence === null) uncovered.add(c.id);
		const earliest = i >= 0 ? p.dates[i] : (p.fence ?? maxDate(p.dates[p.dates.length - 1], was));
		const date = earliest <= maxDate(was, input.today) ? c.promisedDate : earliest;
		placed.push(date === c.promisedDate ? c : { ...c, promisedDate: date });
	}
	const after = rows({ ...input, commitments: placed }, order).map((r) => (movable(order.find((c) => c.id === r.commitmentId)!) ? { ...r, covered: !uncovered.has(r.commitmentId) } : r));
	return { before: rows(input, order), after };
}
