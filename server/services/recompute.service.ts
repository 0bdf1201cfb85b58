import type { Sql, TxSql } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { AlertsRepository } from '../repositories/alerts.repository.ts';
import type { CatalogRepository } from '../repositories/catalog.repository.ts';
import type { CommitmentsRepository } from '../repositories/commitments.repository.ts';
import type { EventsRepository } from '../repositories/events.repository.ts';
import type { OutboxEntry, OutboxRepository } from '../repositories/outbox.repository.ts';
import { applyAlertPlan, type AlertPlan } from './alerts.outbox.ts';
import { pairKey as keyOf, type PairKey } from '../repositories/pair-key.ts';
import type { PositionsRepository } from '../repositories/positions.repository.ts';
import type { SignalsRepository } from '../repositories/signals.repository.ts';
import { planPair } from './recompute.plan.ts';

export interface RecomputeDeps {
	sql: Sql;
	events: EventsRepository;
	positions: PositionsRepository;
	outbox: OutboxRepository;
	catalog: CatalogRepository;
	commitments: CommitmentsRepository;
	alerts: AlertsRepository;
	/** Demand signals count as forecast demand (their own projection and alert); absent: none read. */
	signals?: SignalsRepository;
	log: Logger;
	now?: () => Date;
}

export interface RecomputeResult {
	passes: number;
	/** Pairs still dirty after the last pass (an ingest kept bumping them); left to the next job or the sweep. */
	stillDirty: number;
}

// A pair that keeps being dirtied under us is left dirty for the next job or the sweep.
const MAX_PASSES = 5;

/**
 * Rebuilds SKU×sites: position, ATP, the risk of every commitment shipping from each, and their
 * alerts, for a whole batch of pairs in one transaction with one round of reads and one of writes.
 * Folding each pair's whole ledger makes the result independent of arrival order and of how often a
 * job is delivered, which is what at-least-once delivery needs.
 */
export class RecomputeService {
	constructor(private readonly d: RecomputeDeps) {}

	recompute(key: PairKey): Promise<RecomputeResult> {
		return this.recomputeMany([key]);
	}

	async recomputeMany(keys: PairKey[]): Promise<RecomputeResult> {
		let pending = [...new Map(keys.map((k) => [keyOf(k), k])).values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
		for (let pass = 1; pass <= MAX_PASSES; pass++) {
			const clean = await this.d.sql.begin((tx) => this.pass(tx, pending));
			pending = pending.filter((k) => !clean.has(keyOf(k)));
			if (pending.length === 0) return { passes: pass, stillDirty: 0 };
		}
		this.d.log.warn({ pairs: pending.length }, 'pairs still dirty after max passes; left for the sweep');
		return { passes: MAX_PASSES, stillDirty: pending.length };
	}

	private async pass(tx: TxSql, keys: PairKey[]): Promise<Set<string>> {
		// Positions, risks and alerts are derived from durable rows: if a crash loses this commit, the
		// dirty marks stay and the sweep recomputes. Not waiting for the WAL flush keeps workers parallel.
		await tx`set local synchronous_commit = off`;
		await this.d.positions.lockPairs(tx, keys);
		// Generations are read before the data: an ingest committing after this bumps them, the
		// conditional clear at the end then fails for that pair, and its events are never skipped.
		const gens = await this.d.positions.dirtyGens(tx, keys);
		const todo = keys.filter((k) => gens.has(keyOf(k)));
		if (todo.length === 0) return new Set(keys.map(keyOf));
		const [events, params, commitments, alerts, signals] = await Promise.all([
			this.d.events.forPositions(tx, todo),
			this.d.catalog.paramsFor(tx, todo),
			this.d.commitments.openForPairs(tx, todo),
			this.d.alerts.liveForPairs(tx, todo),
			this.d.signals?.liveForPairs(tx, todo)
		]);
		const now = this.d.now?.() ?? new Date();
		const outbox: OutboxEntry[] = [];
		const positions = [];
		const risks = [];
		const alertPlan: AlertPlan = { toOpen: [], toUpdate: [], toResolve: [] };
		for (const key of todo) {
			const k = keyOf(key);
			const plan = planPair(
				{
					key,
					current: gens.get(k)!,
					events: events.get(k) ?? [],
					params: params.get(k)!,
					commitments: commitments.get(k) ?? [],
					liveAlerts: alerts.get(k) ?? [],
					signals: signals ? (signals.get(k) ?? []) : undefined
				},
				now
			);
			positions.push({ ...key, ...plan.position, state: plan.ledger });
			if (plan.positionChanged) {
				const { onHand, allocated, inbound, available } = plan.position;
				outbox.push({ topic: 'position', site: key.site, payload: { sku: key.sku, site: key.site, onHand, allocated, inbound, available } });
			}
			for (const r of plan.riskUpdates) {
				risks.push(r);
				const { id, board, sku, site, risk, shortQty, earliestDate } = r;
				outbox.push({ topic: 'commitment', site: key.site, payload: { id, board, sku, site, risk, shortQty, earliestDate, checkedAt: now.toISOString() } });
			}
			alertPlan.toOpen.push(...plan.alerts.toOpen);
			alertPlan.toUpdate.push(...plan.alerts.toUpdate);
			alertPlan.toResolve.push(...plan.alerts.toResolve.map((a) => a.id));
		}
		outbox.push(...(await applyAlertPlan(tx, this.d.alerts, alertPlan)));
		await this.d.commitments.writeRisks(tx, risks);
		// Written last: row locks are held only for the few statements before commit.
		await this.d.positions.writeMany(tx, positions);
		const clean = await this.d.positions.markCleanMany(tx, todo.map((k) => ({ ...k, gen: gens.get(keyOf(k))!.dirtyGen })));
		await this.d.outbox.append(tx, outbox);
		for (const k of keys) if (!gens.has(keyOf(k))) clean.add(keyOf(k));
		return clean;
	}
}
