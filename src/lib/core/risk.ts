// Risk of every confirmed commitment of one SKU×site, from one shared profile.
//
// Stock is allocated in promise order: earlier promises are served first, and a later commitment
// never starves an earlier one. Confirmed dated commitments are ordered by ship date (promised,
// else requested), then priority (higher first), then id; buildProfile sorts them once and keeps,
// per commitment, the demand served up to and including it (DemandEntry.served). For commitment c
// with effective date d = max(ship date, today):
//
//   P_c         = on hand − backordered + inbound due ≤ d − served_c
//   OnHandOnly_c = on hand − backordered − served_c
//
// Inbound "due ≤ d" counts late lines from today and undated lines not at all; it is read at d's
// step of the profile, so each commitment costs O(1) and only short ones pay an O(log n) search
// for their earliest date: O(n log n) for n commitments, the sort included.
import type { IsoDate } from '../contract/domain.ts';
import { buildProfile, shipDate, type Profile } from './profile.ts';
import { promiseOnProfile } from './promise.ts';
import type { AvailabilityInput, CommitmentDemand, CommitmentRisk } from './types.ts';

const UNKNOWN: CommitmentRisk = { risk: 'unknown', shortQty: 0, earliestDate: null };
const OK: CommitmentRisk = { risk: 'ok', shortQty: 0, earliestDate: null };
const AT_RISK: CommitmentRisk = { risk: 'at_risk', shortQty: 0, earliestDate: null };

/**
 * - short: P_c < 0 before the fence: once every earlier promise is served, the stock and the
 *   inbound due by its date cannot cover it. shortQty = min(qty, −P_c); earliestDate = the promise
 *   check's earliest date for its qty with its own demand excluded. Measured against zero, not
 *   safety stock, so that "dips into safety stock" stays at_risk. Commitments ordered after it
 *   never make it short.
 * - at_risk: OnHandOnly_c < 0 (covered only by inbound that has not arrived), or P_c < safety
 *   stock (dips into it), or it lies beyond the fence and known supply does not cover it
 *   (P_c < 0: needs a PO). Beyond the fence it is never short.
 * - ok: otherwise.
 * - unknown: no usable date; or the SKU is unknown to the catalog (a shortage is still reported
 *   as short, because the stock figures come from real events).
 */
export function riskOnProfile(p: Profile, c: CommitmentDemand): CommitmentRisk {
	const date: IsoDate | null = shipDate(c);
	if (date === null) return UNKNOWN;
	const entry = p.demand.get(c.id);
	if (!entry) return p.unknownSku ? UNKNOWN : OK; // qty ≤ 0: nothing to cover
	const i = entry.index;
	const onHandOnly = p.base - entry.served;
	const balance = onHandOnly + (p.balance[i] - p.onHandOnly[i]); // + inbound due ≤ its date
	const beyondFence = i >= p.fenceIndex;
	if (!beyondFence && balance < 0) {
		const check = promiseOnProfile(p, entry.qty, entry.date, { index: i, qty: entry.qty });
		return { risk: 'short', shortQty: Math.min(entry.qty, -balance), earliestDate: check.earliestDate };
	}
	if (p.unknownSku) return UNKNOWN;
	if (balance < 0 || balance < p.safetyStock || onHandOnly < 0) return AT_RISK;
	return OK;
}

/** Risk of every confirmed commitment in the input, keyed by id. Requested ones are not included. */
export function commitmentRisks(input: AvailabilityInput): Map<string, CommitmentRisk> {
	return risksOnProfile(buildProfile(input), input.commitments);
}

export function risksOnProfile(p: Profile, commitments: readonly CommitmentDemand[]): Map<string, CommitmentRisk> {
	const out = new Map<string, CommitmentRisk>();
	for (const c of commitments) {
		if (c.status !== 'confirmed') continue;
		out.set(c.id, { ...riskOnProfile(p, c) });
	}
	return out;
}
