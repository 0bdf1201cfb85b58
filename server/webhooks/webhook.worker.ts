import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { ConnectionOptions } from 'bullmq';
import type { WebhookConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { WebhooksRepository } from '../repositories/webhooks.repository.ts';
import { signBody } from './webhook.format.ts';
import { WEBHOOK_QUEUE, type WebhookJob } from './webhook.queue.ts';
import { sendWebhook } from './webhook.sender.ts';

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed' | 'refused' | 'paused';

export interface WebhookWorkerDeps {
	connection: ConnectionOptions;
	prefix: string;
	webhooks: WebhooksRepository;
	config: WebhookConfig;
	log: Logger;
	/** Every attempt's outcome and duration (metrics). */
	onAttempt?: (outcome: DeliveryOutcome, seconds: number) => void;
}

/** POSTs one hook may have in flight per process: a hanging receiver holds 2 slots, never all of them. */
const PER_HOOK_IN_FLIGHT = 2;

/**
 * Sends deliveries: one BullMQ job per delivery, retried by BullMQ with exponential backoff and
 * jitter (WebhookQueue), each attempt logged in Postgres. Every POST is bounded by
 * WEBHOOK_TIMEOUT_MS and the worker runs WEBHOOK_CONCURRENCY of them at once, so a slow receiver
 * delays only itself; the engine and the socket fan-out never wait for webhooks at all.
 */
export class WebhookWorker {
	private readonly worker: Worker<WebhookJob>;
	private readonly inFlight = new Map<string, number>();

	constructor(private readonly d: WebhookWorkerDeps) {
		this.worker = new Worker<WebhookJob>(WEBHOOK_QUEUE, (job, token) => this.process(job, token), {
			connection: d.connection,
			prefix: d.prefix,
			concurrency: d.config.concurrency,
			autorun: false
		});
		this.worker.on('error', (err) => d.log.error({ err }, 'webhook worker error'));
	}

	start(): void {
		void this.worker.run();
	}

	async close(): Promise<void> {
		await this.worker.close();
	}

	private async process(job: Job<WebhookJob>, token?: string): Promise<void> {
		const id = job.data?.deliveryId;
		if (typeof id !== 'string') throw new UnrecoverableError('job data needs a deliveryId');
		const row = await this.d.webhooks.forJob(id);
		// Deleted hook, or already settled by an earlier run of a duplicated job: nothing to send.
		if (!row || row.status !== 'pending') return;
		if (row.pausedAt) return void (await this.d.webhooks.setStatus(id, 'held'));
		const busy = this.inFlight.get(row.webhookId) ?? 0;
		if (busy >= PER_HOOK_IN_FLIGHT && token) {
			// Wait our turn without using up an attempt, leaving the worker's slots to other hooks.
			await job.moveToDelayed(Date.now() + 200 + Math.floor(Math.random() * 300), token);
			throw new DelayedError();
		}
		this.inFlight.set(row.webhookId, busy + 1);
		let result;
		try {
			result = await sendWebhook({
				url: row.url,
				body: row.body,
				timeoutMs: this.d.config.timeoutMs,
				allowHosts: this.d.config.allowHosts,
				headers: { 'x-promiseboard-signature': signBody(row.body, row.secret), 'x-promiseboard-delivery': row.id }
			});
		} finally {
			const left = (this.inFlight.get(row.webhookId) ?? 1) - 1;
			if (left > 0) this.inFlight.set(row.webhookId, left);
			else this.inFlight.delete(row.webhookId);
		}
		const lastAttempt = result.refused || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
		const status = result.ok ? 'delivered' : lastAttempt ? 'failed' : 'pending';
		const { consecutiveFailures } = await this.d.webhooks.recordAttempt({ deliveryId: id, webhookId: row.webhookId }, result, status);
		const seconds = result.durationMs / 1000;
		if (result.ok) return this.d.onAttempt?.('delivered', seconds);
		if (consecutiveFailures >= this.d.config.pauseAfter) {
			const reason = `paused after ${consecutiveFailures} consecutive failed attempts; last: ${result.error}`;
			if (await this.d.webhooks.pause(row.webhookId, reason)) this.d.log.warn({ webhook: row.webhookId, reason }, 'webhook paused');
			// Held, not failed: resuming the hook sends it.
			if (status === 'failed') await this.d.webhooks.setStatus(id, 'held');
			this.d.onAttempt?.('paused', seconds);
			return;
		}
		this.d.onAttempt?.(result.refused ? 'refused' : lastAttempt ? 'failed' : 'retrying', seconds);
		if (result.refused) throw new UnrecoverableError(result.error ?? 'refused');
		throw new Error(result.error ?? 'delivery failed');
	}
}
