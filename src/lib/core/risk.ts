// Risk of every confirmed commitment of one SKU×site, from one shared profile.
//
// Excluding commitment c (qty q, date d) adds q to P from d on, so its ATP at its own date is
// min over [d, H) of P, plus q. Each commitment therefore costs one O(1) range minimum; only short
// ones pay an O(log n) search for their earliest date.
import type { IsoDate } from '../contract/domain.js';
import { buildProfile, minBalance, shipDate, type Profile } from './profile.js';
import { promiseOnProfile } from './promise.js';
import type { AvailabilityInput, CommitmentDemand, CommitmentRisk } from './types.js';

const UNKNOWN: CommitmentRisk = { risk: 'unknown', shortQty: 0, earliestDate: null };
const OK: CommitmentRisk = { risk: 'ok', shortQty: 0, earliestDate: null };
const AT_RISK: CommitmentRisk = { risk: 'at_risk', shortQty: 0, earliestDate: null };

/**
 * - short: P falls below zero at or after its date (before the fence), even with everything else
 *   kept: the stock cannot physically cover it. shortQty = the units missing (≤ its qty).
 *   Measured against zero, not safety stock, so that "dips into safety stock" stays at_risk.
 * - at_risk: safety stock is dipped into at or after its date, or the stock on hand alone (no
 *   inbound) does not cover the demand due up to its date, or it lies beyond the fence and known
 *   supply does not cover it (needs a PO).
 * - ok: otherwise.
 * - unknown: no usable date; or the SKU is unknown to the catalog (a shortage is still reported
 *   as short, because the stock figures come from real events).
 */
export function riskOnProfile(p: Profile, c: CommitmentDemand): CommitmentRisk {
	const date: IsoDate | null = shipDate(c);
	if (date === null) return UNKNOWN;
	const entry = p.demand.get(c.id);
	if (!entry) return p.unknownSku ? UNKNOWN : OK; // qty ≤ 0: nothing to cover
	const beyondFence = entry.index >= p.fenceIndex;
	const m = minBalance(p, entry.index, beyondFence ? p.dates.length : p.fenceIndex);
	if (!beyondFence && m < 0) {
		const check = promiseOnProfile(p, entry.qty, entry.date, { index: entry.index, qty: entry.qty });
		return { risk: 'short', shortQty: Math.min(entry.qty, -m), earliestDate: check.earliestDate };
	}
	if (p.unknownSku) return UNKNOWN;
	if (m < p.safetyStock || p.onHandOnly[entry.index] < p.safetyStock) return AT_RISK;
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
