import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

export const MAINTENANCE_QUEUE = 'maintenance';

/** A chore done now and then for the whole deployment; running it twice in a row must be harmless. */
export interface MaintenanceTask {
	name: string;
	everyMs: number;
	run(): Promise<unknown>;
}

export interface MaintenanceDeps {
	/** The blocking connection (maxRetriesPerRequest: null): it waits out an outage instead of failing. */
	connection: Redis;
	prefix: string;
	tasks: MaintenanceTask[];
	log: Logger;
}

/**
 * The reconciliation sweep, outbox pruning and KPI recording, each a BullMQ job scheduler: however
 * many worker processes run, each chore runs once per interval, on whichever worker takes the job.
 * A Redis that lost its keys (restarted without persistence, flushed) loses the schedulers too, and
 * the sweep repairs exactly that, so every worker process puts them back: when its connection is
 * ready again, and whenever a cheap check finds one missing.
 */
export class MaintenanceWorker {
	private readonly queue: Queue;
	private readonly worker: Worker;
	private readonly byName: Map<string, MaintenanceTask>;
	private watchdog: NodeJS.Timeout | undefined;
	private ensuring: Promise<void> | null = null;
	private readonly onReady = () => void this.ensureSchedulers();

	constructor(private readonly d: MaintenanceDeps) {
		this.byName = new Map(d.tasks.map((t) => [t.name, t]));
		const connection = d.connection as ConnectionOptions;
		this.queue = new Queue(MAINTENANCE_QUEUE, { connection, prefix: d.prefix });
		this.queue.on('error', () => {}); // the connection logs the outage already
		this.worker = new Worker(MAINTENANCE_QUEUE, async (job) => void (await this.byName.get(job.name)?.run()), {
			connection,
			prefix: d.prefix,
			// One slow chore (a large prune) must not hold up the sweep.
			concurrency: Math.max(1, d.tasks.length),
			autorun: false
		});
		this.worker.on('failed', (job, err) => d.log.warn({ err, task: job?.name }, 'maintenance task failed'));
		this.worker.on('error', (err) => d.log.warn({ err: err.message }, 'maintenance worker error'));
	}

	start(): void {
		void this.worker.run();
		this.d.connection.on('ready', this.onReady);
		if (this.d.connection.status === 'ready') void this.ensureSchedulers();
		const shortest = Math.min(...this.d.tasks.map((t) => t.everyMs));
		this.watchdog = setInterval(() => void this.ensureSchedulers(true), Math.min(60_000, Math.max(1000, 2 * shortest)));
		this.watchdog.unref();
	}

	/** Upserts every scheduler (onlyMissing: those Redis no longer has); harmless to repeat. */
	ensureSchedulers(onlyMissing = false): Promise<void> {
		// One pass at a time: a hung Redis must not pile the watchdog's checks up.
		this.ensuring ??= this.upsert(onlyMissing).finally(() => (this.ensuring = null));
		return this.ensuring;
	}

	private async upsert(onlyMissing: boolean): Promise<void> {
		if (this.d.connection.status !== 'ready') return;
		for (const t of this.d.tasks) {
			try {
				if (onlyMissing && (await this.queue.getJobScheduler(t.name))) continue;
				await this.queue.upsertJobScheduler(t.name, { every: t.everyMs }, { name: t.name, opts: { removeOnComplete: true, removeOnFail: true } });
			} catch (err) {
				this.d.log.warn({ err: (err as Error).message, task: t.name }, 'could not schedule maintenance task');
			}
		}
	}

	async close(): Promise<void> {
		clearInterval(this.watchdog);
		this.d.connection.off('ready', this.onReady);
		await this.worker.close();
		await this.queue.close();
	}
}
