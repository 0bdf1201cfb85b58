import type { Logger } from '../logger.ts';
import type { OutboxRepository } from '../repositories/outbox.repository.ts';

export interface PrunerDeps {
	outbox: OutboxRepository;
	retentionHours: number;
	log: Logger;
}

/**
 * Deletes outbox rows older than the retention; run by the maintenance scheduler (once per interval
 * across the worker processes). Pruning twice is harmless: the same rows, deleted once.
 */
export class OutboxPruner {
	private running: Promise<number> | null = null;

	constructor(private readonly d: PrunerDeps) {}

	/** One pruning pass; overlapping calls share the pass in progress. */
	run(): Promise<number> {
		this.running ??= this.d.outbox
			.pruneOlderThan(this.d.retentionHours)
			.then((n) => {
				if (n > 0) this.d.log.info({ rows: n, retentionHours: this.d.retentionHours }, 'outbox pruned');
				return n;
			})
			.catch((err) => {
				this.d.log.warn({ err }, 'outbox pruning failed');
				return 0;
			})
			.finally(() => (this.running = null));
		return this.running;
	}

	async stop(): Promise<void> {
		await this.running;
	}
}
