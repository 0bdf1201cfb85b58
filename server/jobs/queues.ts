import { Queue, type ConnectionOptions } from 'bullmq';
import type { PairKey } from '../repositories/positions.repository.ts';

export const RECOMPUTE_QUEUE = 'recompute';

export interface RecomputeJob {
	sku: string;
	site: string;
}

export interface QueueOptions {
	connection: ConnectionOptions;
	prefix: string;
}

/**
 * One job id per SKU×site: while a job for the pair waits, adding another is a no-op, so a burst
 * of events recomputes the pair once or twice. The id is freed on completion (removeOnComplete);
 * an event landing while the job runs is caught by the worker's dirty-generation loop.
 */
export function recomputeJobId(key: PairKey): string {
	return `pos|${encodeURIComponent(key.sku)}|${encodeURIComponent(key.site)}`;
}

export class RecomputeQueue {
	readonly queue: Queue<RecomputeJob>;

	constructor(opts: QueueOptions) {
		this.queue = new Queue<RecomputeJob>(RECOMPUTE_QUEUE, {
			connection: opts.connection,
			prefix: opts.prefix,
			defaultJobOptions: {
				removeOnComplete: true,
				// A failed job keeps its id and would swallow later adds: drop it; the sweep re-enqueues dirty pairs.
				removeOnFail: true,
				attempts: 5,
				backoff: { type: 'exponential', delay: 200 }
			}
		});
	}

	async enqueue(keys: PairKey[]): Promise<void> {
		if (keys.length === 0) return;
		await this.queue.addBulk(
			keys.map((k) => ({ name: 'recompute', data: { sku: k.sku, site: k.site }, opts: { jobId: recomputeJobId(k) } }))
		);
	}

	async close(): Promise<void> {
		await this.queue.close();
	}
}
