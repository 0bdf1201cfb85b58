import { CoalescingRunner } from '../jobs/coalescing-runner.ts';
import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { OutboxRepository, OutboxRow } from '../repositories/outbox.repository.ts';
import type { NewDelivery, WebhookRow, WebhooksRepository } from '../repositories/webhooks.repository.ts';
import { hookMatches, renderBody, type AlertChangePayload } from './webhook.format.ts';
import type { WebhookQueue } from './webhook.queue.ts';

const BATCH = 1000;
const POLL_MS = 1000;
/** How often a maintenance job re-enqueues stalled deliveries (once per interval across worker processes). */
export const WEBHOOK_SWEEP_MS = 10_000;
/** A pending delivery this old with no job in Redis lost it (Redis flushed or the enqueue failed). */
const STALE_SECONDS = 30;

export interface DispatcherDeps {
	sql: Sql;
	outbox: OutboxRepository;
	webhooks: WebhooksRepository;
	queue: WebhookQueue;
	log: Logger;
}

/**
 * Turns alert changes into deliveries, once cluster-wide. Web nodes each tail the outbox for their
 * own sockets, so hooking there would deliver once per node; instead this runs where the workers
 * run, keeps its own cursor in Postgres and advances it in the transaction that records the
 * deliveries (`for update` on the cursor serialises several worker processes). Deliveries are unique
 * per (hook, outbox seq) and jobs per delivery id, so a crash between commit and enqueue, or a
 * replayed batch, never sends an alert change twice to one hook — the sweep enqueues what was missed.
 * It never sits in the engine's path: recompute transactions only write outbox rows, as before.
 */
export class WebhookDispatcher {
	private running = false;
	private readonly runner = new CoalescingRunner(() => this.pump(), (err) => this.d.log.warn({ err }, 'webhook dispatch failed'), () => this.running);
	private timers: NodeJS.Timeout[] = [];
	private unlisten: (() => Promise<void>) | undefined;

	constructor(private readonly d: DispatcherDeps) {}

	async start(): Promise<void> {
		this.running = true;
		const sub = await this.d.outbox.listen(() => this.kick());
		this.unlisten = () => sub.unlisten();
		this.timers.push(setInterval(() => this.kick(), POLL_MS));
		for (const t of this.timers) t.unref();
		this.kick();
	}

	async stop(): Promise<void> {
		this.running = false;
		for (const t of this.timers) clearInterval(t);
		await this.unlisten?.().catch(() => {});
		await this.runner.idle();
	}

	kick(): void {
		this.runner.kick();
	}

	/** Records deliveries for every alert row after the cursor, then enqueues them. */
	private async pump(): Promise<void> {
		// Web nodes stamp seqs as they relay; a worker-only deployment must not wait for them.
		await this.d.outbox.sequence();
		for (;;) {
			const { ids, more } = await this.d.sql.begin(async (tx) => {
				const cursor = await this.d.webhooks.lockCursor(tx);
				// Only alert rows matter: positions and verdicts are filtered out in Postgres, not shipped here.
				const rows = await this.d.outbox.afterOfTopic(cursor, 'alert', BATCH);
				if (rows.length === 0) return { ids: [], more: false };
				const hooks = await this.d.webhooks.list(tx);
				const ids = await this.d.webhooks.insertDeliveries(tx, deliveriesFor(rows, hooks));
				await this.d.webhooks.setCursor(tx, rows[rows.length - 1].seq);
				return { ids, more: rows.length === BATCH };
			});
			await this.d.queue.enqueue(ids).catch((err) => this.d.log.warn({ err, deliveries: ids.length }, 'webhook enqueue failed; the sweep retries'));
			if (!more) return;
		}
	}

	async sweep(): Promise<void> {
		try {
			const stale = await this.d.webhooks.stalePending(STALE_SECONDS, 5000);
			if (stale.length) await this.d.queue.enqueue(stale);
		} catch (err) {
			this.d.log.warn({ err }, 'webhook sweep failed');
		}
	}
}

/** Pure: one delivery per (alert row, matching hook), its body rendered now and stored for every attempt. */
export function deliveriesFor(rows: OutboxRow[], hooks: WebhookRow[], now = () => new Date().toISOString()): NewDelivery[] {
	const out: NewDelivery[] = [];
	for (const row of rows) {
		if (row.topic !== 'alert') continue;
		const alert: AlertChangePayload = row.payload;
		for (const hook of hooks) {
			if (!hookMatches(hook, alert)) continue;
			const id = randomUUID();
			out.push({
				id,
				webhookId: hook.id,
				seq: row.seq,
				alertId: alert.id ?? null,
				change: alert.change ?? null,
				body: renderBody(hook.format, { deliveryId: id, seq: row.seq, alert, sentAt: now() }),
				status: hook.pausedAt ? 'held' : 'pending'
			});
		}
	}
	return out;
}
