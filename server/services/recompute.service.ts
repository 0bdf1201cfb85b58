import { computeAtp } from '../../src/lib/core/atp.ts';
import { evaluateAlerts, reconcileAlerts, SKU_SITE_ALERT_KINDS } from '../../src/lib/core/alert-rules.ts';
import { foldLedger } from '../../src/lib/core/ledger.ts';
import { buildProfile, exclusionFor } from '../../src/lib/core/profile.ts';
import { promiseOnProfile } from '../../src/lib/core/promise.ts';
import { risksOnProfile } from '../../src/lib/core/risk.ts';
import type { Risk } from '../../src/lib/contract/domain.ts';
import type { TxSql, Sql } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { toAlertPayload, type AlertsRepository } from '../repositories/alerts.repository.ts';
import type { CatalogRepository } from '../repositories/catalog.repository.ts';
import type { CommitmentsRepository, RiskUpdate } from '../repositories/commitments.repository.ts';
import type { EventsRepository } from '../repositories/events.repository.ts';
import type { OutboxRepository, OutboxRow } from '../repositories/outbox.repository.ts';
import type { PairKey, PositionNumbers, PositionsRepository } from '../repositories/positions.repository.ts';
import { availabilityInput } from './availability.input.ts';

export interface RecomputeDeps {
	sql: Sql;
	events: EventsRepository;
	positions: PositionsRepository;
	outbox: OutboxRepository;
	catalog: CatalogRepository;
	commitments: CommitmentsRepository;
	alerts: AlertsRepository;
	log: Logger;
	now?: () => Date;
}

export interface RecomputeResult {
	passes: number;
	changed: boolean;
}

// A pair that keeps being dirtied under us is left dirty for the next job or the sweep.
const MAX_PASSES = 5;

/**
 * Rebuilds one SKU×site: position, ATP, the risk of every commitment shipping from it, and its alerts,
 * in one transaction. Folding the whole ledger makes the result independent of arrival order and of
 * how often a job is delivered, which is what at-least-once delivery needs.
 */
export class RecomputeService {
	constructor(private readonly d: RecomputeDeps) {}

	async recompute(key: PairKey): Promise<RecomputeResult> {
		let changed = false;
		for (let pass = 1; pass <= MAX_PASSES; pass++) {
			const r = await this.d.sql.begin((tx) => this.pass(tx, key));
			changed ||= r.changed;
			if (r.clean) return { passes: pass, changed };
		}
		this.d.log.warn({ key }, 'pair still dirty after max passes; left for the sweep');
		return { passes: MAX_PASSES, changed };
	}

	private async pass(tx: TxSql, key: PairKey): Promise<{ clean: boolean; changed: boolean }> {
		// Positions, risks and alerts are derived from durable rows: if a crash loses this commit, the
		// dirty mark is lost with it and the sweep recomputes. Not waiting for the WAL flush matters
		// because outbox writers commit one at a time.
		await tx`set local synchronous_commit = off`;
		await this.d.positions.lockPair(tx, key);
		// Read the generation before the data: an ingest that commits after this read bumps it, and the
		// conditional clear at the end then fails, so its events are never skipped.
		const current = await this.d.positions.dirtyGen(tx, key);
		if (!current) return { clean: true, changed: false };
		const [events, params, commitments, live] = await Promise.all([
			this.d.events.forPosition(tx, key.sku, key.site),
			this.d.catalog.skuSiteParams(key.sku, key.site, tx),
			this.d.commitments.openForPair(tx, key.sku, key.site),
			this.d.alerts.liveForPair(tx, key.sku, key.site)
		]);
		const ledger = foldLedger(events, key.site);
		const input = availabilityInput(params, ledger, commitments, this.d.now?.() ?? new Date());
		const profile = buildProfile(input);
		const atp = computeAtp(input);
		const outbox: Omit<OutboxRow, 'seq'>[] = [];

		const next: PositionNumbers = {
			onHand: atp.onHand,
			allocated: atp.allocated,
			inbound: atp.inbound,
			backordered: atp.backordered,
			available: atp.available
		};
		const positionChanged = !current.exists || !sameNumbers(current.numbers, next);
		if (positionChanged) {
			outbox.push({ topic: 'position', site: key.site, payload: { sku: key.sku, site: key.site, ...pick(next) } });
		}

		// Confirmed commitments get the core's risk; requested ones are checked as the promise they ask for.
		const risks = risksOnProfile(profile, input.commitments);
		const updates: RiskUpdate[] = [];
		const demandById = new Map(input.commitments.map((d) => [d.id, d]));
		for (const c of commitments) {
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
				updates.push({ id: c.id, ...verdict });
				outbox.push({
					topic: 'commitment',
					site: key.site,
					payload: { id: c.id, board: c.board, sku: c.sku, site: c.site, risk: verdict.risk, shortQty: verdict.shortQty, earliestDate: verdict.earliestDate, checkedAt: new Date().toISOString() }
				});
			}
		}
		await this.d.commitments.writeRisks(tx, updates);

		const desired = evaluateAlerts(input, input.today, { timeZone: params.timeZone });
		const plan = reconcileAlerts(live, desired, { kinds: SKU_SITE_ALERT_KINDS });
		for (const a of plan.toOpen) outbox.push(alertRow(await this.d.alerts.open(tx, a)));
		for (const u of plan.toUpdate) outbox.push(alertRow(await this.d.alerts.update(tx, u.id, u.severity, u.message, u.escalated)));
		for (const a of plan.toResolve) outbox.push(alertRow(await this.d.alerts.resolve(tx, a.id)));

		// Written last: the row lock is held only for the few statements before commit.
		await this.d.positions.write(tx, key, next, ledger);
		const clean = await this.d.positions.markClean(tx, key, current.dirtyGen);
		await this.d.outbox.append(tx, outbox);
		return { clean, changed: positionChanged || updates.length > 0 || outbox.length > 0 };
	}
}

function alertRow(row: Parameters<typeof toAlertPayload>[0]): Omit<OutboxRow, 'seq'> {
	return { topic: 'alert', site: row.site, payload: { ...toAlertPayload(row) } };
}

function pick(n: PositionNumbers) {
	return { onHand: n.onHand, allocated: n.allocated, inbound: n.inbound, available: n.available };
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
