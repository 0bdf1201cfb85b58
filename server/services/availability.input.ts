import { localDate } from '../../src/lib/core/dates.ts';
import { foldLedger, type LedgerState } from '../../src/lib/core/ledger.ts';
import type { AlertSnapshot } from '../../src/lib/core/alert-rules.ts';
import type { AvailabilityInput, CommitmentDemand } from '../../src/lib/core/types.ts';
import { signalForecast, type SignalSpec } from '../../src/lib/core/forecast.ts';
import type { Commitment } from '../../src/lib/contract/commitments.ts';
import type { SkuSiteParams } from '../repositories/catalog.repository.ts';

/** A SKU×site with no events yet: whatever the fold makes of nothing, so the two never drift. */
export const EMPTY_LEDGER: LedgerState = foldLedger([], '');

/** "Today" at a site: the calendar date in its zone (DESIGN.md "Dates and time"). */
export function siteToday(timeZone: string, now: Date = new Date()): string {
	return localDate(now.toISOString(), timeZone);
}

/** The commitments as demand, net of what shipments already fulfilled. */
export function toDemand(commitments: readonly Commitment[], ledger: LedgerState): CommitmentDemand[] {
	return commitments.map((c) => ({
		id: c.id,
		qty: Math.max(0, c.qty - (ledger.shippedByCommitment[c.id] ?? 0)),
		status: c.status,
		requestedDate: c.requestedDate,
		promisedDate: c.promisedDate,
		priority: c.priority,
		customer: c.customer
	}));
}

/** Everything the pure core needs about one SKU×site, from what the repositories returned. */
export function availabilityInput(
	params: SkuSiteParams,
	ledger: LedgerState,
	commitments: readonly Commitment[],
	now: Date = new Date(),
	signals?: readonly SignalSpec[]
): AlertSnapshot & AvailabilityInput {
	const today = siteToday(params.timeZone, now);
	return {
		sku: params.sku,
		site: params.site,
		today,
		onHand: ledger.onHand,
		backordered: ledger.backordered,
		backorderSince: ledger.backorderSince,
		safetyStock: params.safetyStock,
		reorderPoint: params.reorderPoint,
		leadTimeDays: params.leadTimeDays,
		inbound: ledger.inbound,
		commitments: toDemand(commitments, ledger),
		unknownSku: params.provisional,
		// Signals given = forecast counted (in its own projection and its own alert; ATP stays firm).
		...(signals ? { forecast: signalForecast(signals, today), countForecast: true } : {})
	};
}
