import { Queue, type ConnectionOptions } from 'bullmq';
import type { PairKey } from '../repositories/positions.repository.ts';
import type { RecomputeProducer } from '../services/jobs.port.ts';

export const RECOMPUTE_QUEUE = 'recompute';

export interface RecomputeJob {
	sku: string;
	site: string;
}

export interface QueueOptions {
	connection: ConnectionOptions;
	prefix: string;
}

export interface RecomputeQueueOptions extends QueueOptions {
	/**
	 * Longest an enqueue may take before the caller moves on. Enqueueing is best-effort: the pairs are
	 * marked dirty in Postgres first, and the reconciliation sweep enqueues whatever did not make it.
	 */
	enqueueTimeoutMs?: number;
}

/**
 * One job id per SKU×site: while a job for the pair waits, adding another is a no-op, so a burst
 * of events recomputes the pair once or twice. The id is freed on completion (removeOnComplete);
 * an event landing while the job runs is caught by the worker's dirty-generation loop.
 */
export function recomputeJobId(key: PairKey): string {
	return `pos|${encodeURIComponent(key.sku)}|${encodeURIComponent(key.site)}`;
}

export class RecomputeQueue implements RecomputeProducer {
	readonly queue: Queue<RecomputeJob>;
	private readonly enqueueTimeoutMs: number;

	constructor(private readonly opts: RecomputeQueueOptions) {
		this.enqueueTimeoutMs = opts.enqueueTimeoutMs ?? 500;
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

	/** Adds a job per pair, or throws within `enqueueTimeoutMs` (Redis away or hung: the sweep catches up). */
	async enqueue(keys: PairKey[], timeoutMs = this.enqueueTimeoutMs): Promise<void> {
		if (keys.length === 0) return;
		// An ioredis client that is not connected would only queue the command (or BullMQ waits for ready).
		const status = (this.opts.connection as { status?: string }).status;
		if (status !== undefined && status !== 'ready') throw new Error(`redis is ${status}; not enqueued`);
		const added = this.queue.addBulk(
			keys.map((k) => ({ name: 'recompute', data: { sku: k.sku, site: k.site }, opts: { jobId: recomputeJobId(k) } }))
		);
		let timer: NodeJS.Timeout | undefined;
		try {
			await Promise.race([
				added,
				new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`enqueue took over ${timeoutMs} ms`)), timeoutMs)))
			]);
		} finally {
			clearTimeout(timer);
			// A late failure of an abandoned add is expected and already accounted for.
			added.catch(() => {});
		}
	}

	async close(): Promise<void> {
		await this.queue.close();
	}
}
