import { computeAtp } from '../../src/lib/core/atp.ts';
import { evaluateAlerts, reconcileAlerts, SKU_SITE_ALERT_KINDS, type AlertReconciliation } from '../../src/lib/core/alert-rules.ts';
import type { LedgerState } from '../../src/lib/core/ledger.ts';
import { buildProfile, exclusionFor } from '../../src/lib/core/profile.ts';
import { promiseOnProfile } from '../../src/lib/core/promise.ts';
import { risksOnProfile } from '../../src/lib/core/risk.ts';
import type { Risk } from '../../src/lib/contract/domain.ts';
import type { AlertRow } from '../repositories/alerts.repository.ts';
import type { SkuSiteParams } from '../repositories/catalog.repository.ts';
import type { OpenCommitment, RiskUpdate } from '../repositories/commitments.repository.ts';
import type { PairKey, PositionNumbers } from '../repositories/positions.repository.ts';
import type { SignalSpec } from '../../src/lib/core/forecast.ts';
import { availabilityInput } from './availability.input.ts';

export interface PairRows {
	key: PairKey;
	current: { exists: boolean; numbers: PositionNumbers };
	/** The pair's folded ledger (RecomputeService folds it on from the stored checkpoint). */
	ledger: LedgerState;
	params: SkuSiteParams;
	commitments: OpenCommitment[];
	liveAlerts: AlertRow[];
	/** Live demand signals of the pair: forecast demand for forecast_below_safety_stock. */
	signals?: SignalSpec[];
}

export interface PairPlan {
	position: PositionNumbers;
	ledger: LedgerState;
	positionChanged: boolean;
	riskUpdates: (RiskUpdate & { board: string; sku: string; site: string | null })[];
	alerts: AlertReconciliation<AlertRow>;
}

/**
 * What one SKU×site should look like now, from its rows: no I/O, so a batch of pairs is computed
 * between one round of reads and one round of writes.
 */
export function planPair(rows: PairRows, now: Date): PairPlan {
	const ledger = rows.ledger;
	const input = availabilityInput(rows.params, ledger, rows.commitments, now, rows.signals);
	const profile = buildProfile(input);
	const atp = computeAtp(input);
	const position: PositionNumbers = {
		onHand: atp.onHand,
		allocated: atp.allocated,
		inbound: atp.inbound,
		backordered: atp.backordered,
		available: atp.available
	};

	// Confirmed commitments get the core's risk; requested ones are checked as the promise they ask for.
	const risks = risksOnProfile(profile, input.commitments);
	const demandById = new Map(input.commitments.map((d) => [d.id, d]));
	const riskUpdates: PairPlan['riskUpdates'] = [];
	for (const c of rows.commitments) {
		const demand = demandById.get(c.id)!;
		let verdict: Omit<RiskUpdate, 'id'>;
		const r = risks.get(c.id);
		if (r) verdict = { ...r, needsPo: false };
		else if (c.status === 'requested' && demand.qty > 0) {
			const p = promiseOnProfile(profile, demand.qty, c.requestedDate, exclusionFor(profile, c.id));
			const risk: Risk = p.feasible ? (p.needsPo ? 'at_risk' : 'ok') : 'short';
			verdict = { risk, shortQty: p.shortQty, earliestDate: p.earliestDate, needsPo: p.needsPo };
		} else verdict = { risk: 'ok', shortQty: 0, earliestDate: null, needsPo: false };
		if (c.risk !== verdict.risk || c.shortQty !== verdict.shortQty || c.earliestDate !== verdict.earliestDate || c.needsPo !== verdict.needsPo) {
			riskUpdates.push({ id: c.id, board: c.board, sku: c.sku, site: c.site, ...verdict });
		}
	}

	const desired = evaluateAlerts(input, input.today, { timeZone: rows.params.timeZone });
	return {
		position,
		ledger,
		positionChanged: !rows.current.exists || !sameNumbers(rows.current.numbers, position),
		riskUpdates,
		alerts: reconcileAlerts(rows.liveAlerts, desired, { kinds: SKU_SITE_ALERT_KINDS })
	};
}

function sameNumbers(a: PositionNumbers, b: PositionNumbers): boolean {
	return (
		a.onHand === b.onHand &&
		a.allocated === b.allocated &&
		a.inbound === b.inbound &&
		a.backordered === b.backordered &&
		a.available === b.available
	);
}
