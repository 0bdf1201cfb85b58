import type { Sql, TxSql } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { AlertsRepository } from '../repositories/alerts.repository.ts';
import type { CatalogRepository } from '../repositories/catalog.repository.ts';
import type { CommitmentsRepository } from '../repositories/commitments.repository.ts';
import type { EventsRepository, StoredEvent } from '../repositories/events.repository.ts';
import type { OutboxEntry, OutboxRepository } from '../repositories/outbox.repository.ts';
import { applyAlertPlan, type AlertPlan } from './alerts.outbox.ts';
import { pairKey as keyOf, type PairKey } from '../repositories/pair-key.ts';
import type { DirtyPair, PositionsRepository } from '../repositories/positions.repository.ts';
import { foldFromScratch, foldOnto, resumeFrom, type FoldCheckpoint, type FoldResult } from '../../src/lib/core/ledger.ts';
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
	/** Ledgers folded on from a checkpoint, and folded from scratch (none yet, or an event arrived late). */
	folds: { resumed: number; scratch: number };
}

/**
 * How far behind the latest event time a pair's fold checkpoint stays. Events this close to the
 * newest are folded again on each recompute (a few per pair), so a feed whose events arrive up to
 * this much out of order never forces a fold from scratch; an older straggler does.
 */
export const FOLD_SLACK_MS = 10_000;

// A pair that keeps being dirtied under us is left dirty for the next job or the sweep.
const MAX_PASSES = 5;

/**
 * Rebuilds SKU×sites: position, ATP, the risk of every commitment shipping from each, and their
 * alerts, for a whole batch of pairs in one transaction with one round of reads and one of writes.
 * Each pair's ledger is folded on from the checkpoint stored with its position (see fold()); the
 * result equals folding its whole ledger, so it is independent of arrival order and of how often a
 * job is delivered, which is what at-least-once delivery needs.
 */
export class RecomputeService {
	private readonly foldListeners = new Set<(receivedAt: Date[]) => void>();

	constructor(private readonly d: RecomputeDeps) {}

	/**
	 * Calls `cb` after each committed pass with when each event it newly folded in was stored: the
	 * lag from ingest to position, for the sustained-ingest bench. Returns the unsubscribe.
	 */
	onFolded(cb: (receivedAt: Date[]) => void): () => void {
		this.foldListeners.add(cb);
		return () => this.foldListeners.delete(cb);
	}

	recompute(key: PairKey): Promise<RecomputeResult> {
		return this.recomputeMany([key]);
	}

	async recomputeMany(keys: PairKey[]): Promise<RecomputeResult> {
		let pending = [...new Map(keys.map((k) => [keyOf(k), k])).values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
		const folds = { resumed: 0, scratch: 0 };
		for (let pass = 1; pass <= MAX_PASSES; pass++) {
			const received: Date[] = [];
			const clean = await this.d.sql.begin((tx) => this.pass(tx, pending, folds, received));
			for (const cb of this.foldListeners) cb(received);
			pending = pending.filter((k) => !clean.has(keyOf(k)));
			if (pending.length === 0) return { passes: pass, stillDirty: 0, folds };
		}
		this.d.log.warn({ pairs: pending.length }, 'pairs still dirty after max passes; left for the sweep');
		return { passes: MAX_PASSES, stillDirty: pending.length, folds };
	}

	/**
	 * Each pair's ledger, folded on from the checkpoint its position was written with: only events
	 * from the checkpoint's `until` on are read. A pair that was sent an event older than that since
	 * (late_from, set in the ingest's transaction) is folded from scratch, so the result always equals
	 * the full fold.
	 */
	private async fold(
		tx: TxSql,
		keys: PairKey[],
		gens: Map<string, DirtyPair>,
		folds: RecomputeResult['folds'],
		received: Date[]
	): Promise<Map<string, FoldResult<StoredEvent>>> {
		const resumable = new Map<string, FoldCheckpoint>();
		for (const key of keys) {
			const g = gens.get(keyOf(key))!;
			const cp = checkpointOf(g.fold);
			if (cp && !(cp.until !== null && g.lateFrom && g.lateFrom.getTime() < cp.until)) resumable.set(keyOf(key), cp);
		}
		const events = await this.d.events.forPositions(
			tx,
			keys.map((k) => {
				const cp = resumable.get(keyOf(k));
				return { ...k, since: cp ? resumeFrom(cp) : null };
			})
		);
		const out = new Map<string, FoldResult<StoredEvent>>();
		const again: PairKey[] = [];
		for (const key of keys) {
			const k = keyOf(key);
			const cp = resumable.get(k);
			const r = cp ? foldOnto(cp, events.get(k) ?? [], key.site, FOLD_SLACK_MS) : foldFromScratch(events.get(k) ?? [], key.site, FOLD_SLACK_MS);
			if (r) out.set(k, r);
			else again.push(key);
			if (r && cp) folds.resumed++;
			else folds.scratch++;
		}
		if (again.length) {
			const all = await this.d.events.forPositions(tx, again);
			for (const key of again) out.set(keyOf(key), foldFromScratch(all.get(keyOf(key)) ?? [], key.site, FOLD_SLACK_MS));
		}
		if (this.foldListeners.size) {
			for (const key of keys) {
				const k = keyOf(key);
				// Only what came after the position's last write is new: a resumed fold re-reads the last
				// FOLD_SLACK_MS of events each time, and counting those again would inflate the lag.
				const since = gens.get(k)!.writtenAt;
				for (const e of out.get(k)!.applied) if (!since || e.receivedAt > since) received.push(e.receivedAt);
			}
		}
		return out;
	}

	private async pass(tx: TxSql, keys: PairKey[], folds: RecomputeResult['folds'], received: Date[]): Promise<Set<string>> {
		// Positions, risks and alerts are derived from durable rows: if a crash loses this commit, the
		// dirty marks stay and the sweep recomputes. Not waiting for the WAL flush keeps workers parallel.
		await tx`set local synchronous_commit = off`;
		await this.d.positions.lockPairs(tx, keys);
		// Generations are read before the data: an ingest committing after this bumps them, the
		// conditional clear at the end then fails for that pair, and its events are never skipped.
		const gens = await this.d.positions.dirtyGens(tx, keys);
		const todo = keys.filter((k) => gens.has(keyOf(k)));
		if (todo.length === 0) return new Set(keys.map(keyOf));
		const [ledgers, params, commitments, alerts, signals] = await Promise.all([
			this.fold(tx, todo, gens, folds, received),
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
					ledger: ledgers.get(k)!.state,
					params: params.get(k)!,
					commitments: commitments.get(k) ?? [],
					liveAlerts: alerts.get(k) ?? [],
					signals: signals ? (signals.get(k) ?? []) : undefined
				},
				now
			);
			positions.push({ ...key, ...plan.position, state: plan.ledger, fold: ledgers.get(k)!.checkpoint });
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

/** A stored checkpoint as the fold wrote it; anything else (none yet, an older shape) folds from scratch. */
function checkpointOf(v: unknown): FoldCheckpoint | null {
	const cp = v as FoldCheckpoint | null;
	return cp && typeof cp === 'object' && 'until' in cp && typeof cp.onHand === 'number' && Array.isArray(cp.poLines) ? cp : null;
}

