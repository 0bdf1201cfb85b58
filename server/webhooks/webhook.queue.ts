import { Queue, type ConnectionOptions } from 'bullmq';
import type { WebhookProducer } from '../services/jobs.port.ts';

export const WEBHOOK_QUEUE = 'webhooks';

export interface WebhookJob {
	deliveryId: string;
}

/** One job per delivery; the id makes re-adding a delivery whose job still exists a no-op. */
export const webhookJobId = (deliveryId: string) => `wh|${deliveryId}`;

export class WebhookQueue implements WebhookProducer {
	readonly queue: Queue<WebhookJob>;

	constructor(opts: { connection: ConnectionOptions; prefix: string; maxAttempts: number; backoffMs: number }) {
		this.queue = new Queue<WebhookJob>(WEBHOOK_QUEUE, {
			connection: opts.connection,
			prefix: opts.prefix,
			defaultJobOptions: {
				attempts: opts.maxAttempts,
				// Doubling delays, each cut by up to half at random, so many hooks failing together
				// (a receiver's outage) do not retry in lockstep.
				backoff: { type: 'exponential', delay: opts.backoffMs, jitter: 0.5 },
				// Postgres keeps the delivery log; Redis keeps only work in flight.
				removeOnComplete: true,
				removeOnFail: true
			}
		});
	}

	async enqueue(deliveryIds: string[]): Promise<void> {
		if (deliveryIds.length === 0) return;
		await this.queue.addBulk(deliveryIds.map((id) => ({ name: 'deliver', data: { deliveryId: id }, opts: { jobId: webhookJobId(id) } })));
	}

	async close(): Promise<void> {
		await this.queue.close();
	}
}
