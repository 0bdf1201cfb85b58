import type { Logger } from '../logger.ts';
import type { OutboxRepository } from '../repositories/outbox.repository.ts';

export interface PrunerDeps {
	outbox: OutboxRepository;
	retentionHours: number;
	everyMs: number;
	log: Logger;
}

/**
 * Deletes outbox rows older than the retention, on a timer in each worker process. A timer rather
 * than a BullMQ repeatable job, like the sweep: it must keep running when Redis has lost its keys.
 * Several processes pruning at once is harmless (the same rows, deleted once), and jitter spreads them.
 */
export class OutboxPruner {
	private timer: NodeJS.Timeout | undefined;
	private first: NodeJS.Timeout | undefined;
	private running: Promise<number> | null = null;

	constructor(private readonly d: PrunerDeps) {}

	start(): void {
		const every = this.d.everyMs;
		this.timer = setInterval(() => void this.run(), every + Math.floor(Math.random() * (every / 10)));
		this.timer.unref();
		// Once soon after start too: a node that was down for a week should not wait an hour.
		this.first = setTimeout(() => void this.run(), Math.min(every, 30_000) * Math.random());
		this.first.unref();
	}

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
		clearInterval(this.timer);
		clearTimeout(this.first);
		await this.running;
	}
}
