import type { PairKey } from '../repositories/pair-key.ts';

/**
 * What services ask of the job queues, and all they know of them: the BullMQ producers live in
 * server/jobs and server/webhooks, are built by the composition root (server/node.ts) and handed in.
 * Enqueueing is best-effort everywhere: the work is marked in Postgres first and a sweep catches up.
 */
export interface RecomputeProducer {
	/** Asks for the pairs' positions, risks and alerts to be recomputed; throws when the queue is away. */
	enqueue(keys: PairKey[]): Promise<void>;
}

export interface WebhookProducer {
	/** Asks for these deliveries to be sent now. */
	enqueue(deliveryIds: string[]): Promise<void>;
}
