import { lifecycleChangeAlert, reconcileAlerts } from '../../src/lib/core/alert-rules.ts';
import { skuSubject } from '../../src/lib/core/alert-types.ts';
import type { LifecycleStage } from '../../src/lib/contract/domain.ts';
import { lifecycleChangeSchema, type LifecycleEntry } from '../../src/lib/contract/signals.ts';
import { can, principalLabel, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Sql, TxSql } from '../db/database.ts';
import { applyAlertPlan } from './alerts.outbox.ts';
import { parse } from './validate.ts';
import { AppError, ForbiddenError, NotFoundError } from './errors.ts';
import type { Repositories } from '../repositories/repositories.ts';

const LABEL: Record<LifecycleStage, string> = { new: 'new', growth: 'growth', mature: 'mature', decline: 'decline', end_of_life: 'end of life' };

/**
 * Lifecycle stages change with a reason, by ops or sales; the change is kept in the activity log,
 * and a SKU moving to decline or end of life with open commitments raises `lifecycle_change`.
 */
export class LifecycleService {
	constructor(
		private readonly sql: Sql,
		private readonly repos: Pick<Repositories, 'skus' | 'alerts' | 'outbox' | 'activity'>
	) {}

	async change(p: Principal, sku: string, body: unknown): Promise<LifecycleEntry> {
		if (!can(p, 'lifecycle:write')) throw new ForbiddenError('your role may not change lifecycle stages');
		const { stage, reason } = parse(lifecycleChangeSchema, body, 'body');
		const actor = principalLabel(p);
		return this.sql.begin(async (tx) => {
			const from = await this.repos.skus.lockLifecycle(tx, sku);
			if (from === null) throw new NotFoundError(`no SKU ${sku}`);
			if (from === stage) throw new AppError(409, `${sku} is already ${LABEL[stage]}`);
			await this.apply(tx, sku, from, stage, reason, actor);
			return { sku, from, to: stage, reason, actor, at: new Date().toISOString() };
		});
	}

	/** Records a stage change made in `tx` (by the form here or a catalog import) and raises or clears its alert. */
	async apply(tx: TxSql, sku: string, from: LifecycleStage, to: LifecycleStage, reason: string, actor: string): Promise<void> {
		await this.repos.skus.setLifecycle(tx, sku, to);
		await this.repos.activity.record(tx, {
			actor,
			source: 'lifecycle',
			sku,
			summary: `${sku} moved from ${LABEL[from]} to ${LABEL[to]}: ${reason}`,
			detail: { from, to, reason }
		});
		await this.reconcile(tx, sku, to);
	}

	/**
	 * The lifecycle_change alert of one SKU as its stage and open commitments call for: opened,
	 * updated or resolved, each change through the outbox like the engine's alerts.
	 */
	async reconcile(tx: TxSql, sku: string, stage: LifecycleStage): Promise<void> {
		const open = await this.repos.skus.openCommitmentCount(tx, sku);
		const desired = lifecycleChangeAlert(sku, stage, open);
		const live = await this.repos.alerts.liveForSubject(tx, 'lifecycle_change', skuSubject(sku));
		const r = reconcileAlerts(live, desired ? [desired] : [], { kinds: ['lifecycle_change'] });
		const plan = { toOpen: r.toOpen, toUpdate: r.toUpdate, toResolve: r.toResolve.map((a) => a.id) };
		await this.repos.outbox.append(tx, await applyAlertPlan(tx, this.repos.alerts, plan));
	}

	/**
	 * Catches lifecycle_change alerts up with commitments that opened or closed since the stage moved
	 * (the alert resolves once a winding-down SKU has no open commitments). Only SKUs whose alert
	 * would change are touched. Runs now and then where the workers run.
	 */
	async sweep(): Promise<number> {
		const candidates = await this.repos.skus.lifecycleCandidates();
		let changed = 0;
		for (const c of candidates) {
			const desired = lifecycleChangeAlert(c.sku, c.lifecycle, c.open);
			if ((desired?.message ?? null) === c.liveMessage) continue;
			await this.sql.begin(async (tx) => {
				const stage = await this.repos.skus.lockLifecycle(tx, c.sku);
				if (stage) await this.reconcile(tx, c.sku, stage);
			});
			changed++;
		}
		return changed;
	}

	async history(sku: string): Promise<LifecycleEntry[]> {
		const rows = await this.repos.activity.lifecycleOf(sku);
		return rows.map((r) => ({ sku, from: r.detail.from as LifecycleStage, to: r.detail.to as LifecycleStage, reason: r.detail.reason, actor: r.actor ?? '', at: r.at }));
	}
}
