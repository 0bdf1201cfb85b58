import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from '../logger.ts';
import type { PositionsRepository } from '../repositories/positions.repository.ts';
import type { RecomputeService } from '../services/recompute.service.ts';
import { CoalescingRunner } from './coalescing-runner.ts';
import { PairBatcher } from './pair-batcher.ts';
import { tracePath, tracing } from '../metrics/path-trace.ts';
import { RECOMPUTE_QUEUE, type QueueOptions, type RecomputeJob, type RecomputeQueue } from './queues.ts';

export interface WorkerDeps extends QueueOptions {
	recompute: RecomputeService;
	positions: PositionsRepository;
	queue: RecomputeQueue;
	concurrency: number;
	log: Logger;
	/** How long a pair may stay dirty before the sweep assumes its job was lost. */
	sweepAfterSeconds?: number;
}

/**
 * Runs recompute jobs and the reconciliation sweep; the sweep runs on a job scheduler
 * (MaintenanceWorker), which every worker process puts back when Redis has lost it.
 */
export class RecomputeWorker {
	private readonly worker: Worker<RecomputeJob>;
	private sweeping = false;
	private readonly batcher: PairBatcher;
	private closed = false;
	/** Pairs whose job just completed, to check for events that arrived during its last pass. */
	private readonly finished = new Map<string, { sku: string; site: string }>();
	private readonly recheck: CoalescingRunner;

	constructor(private readonly d: WorkerDeps) {
		this.batcher = new PairBatcher(async (keys) => {
			await d.recompute.recomputeMany(keys);
			if (tracing()) tracePath('recomputed', keys.map((k) => k.sku));
		});
		this.worker = new Worker<RecomputeJob>(RECOMPUTE_QUEUE, (job) => this.process(job), {
			connection: d.connection,
			prefix: d.prefix,
			concurrency: d.concurrency,
			autorun: false,
			// A worker killed mid-job leaves its jobs "active", and the sweep's re-adds are no-ops for their
			// ids until BullMQ sees the lock lapse and stalls them back to waiting. Locks are renewed every
			// half period while a job runs, so a shorter period only hastens that (default 30 s + 30 s).
			lockDuration: 10_000,
			stalledInterval: 5_000
		});
		this.worker.on('failed', (job, err) => d.log.warn({ err, job: job?.id, attempts: job?.attemptsMade }, 'recompute failed'));
		// An event stored after a job's last pass found its pair clean, but before the job completed,
		// was enqueued under the same job id while that job was still active: a no-op. Without this
		// check the pair would wait for the sweep (seconds); with it, it is enqueued again at once.
		this.recheck = new CoalescingRunner(
			() => this.requeueDirty(),
			(err) => d.log.warn({ err }, 'recheck of finished pairs failed; the sweep catches up'),
			() => !this.closed
		);
		this.worker.on('completed', (job) => {
			const { sku, site } = job.data ?? ({} as RecomputeJob);
			if (typeof sku !== 'string' || typeof site !== 'string') return;
			this.finished.set(`${sku}\u0000${site}`, { sku, site });
			this.recheck.kick();
		});
		this.worker.on('error', (err) => d.log.error({ err }, 'worker error'));
	}

	/** Queue lag (added → started) and run time of every completed job, for metrics and benchmarks. */
	onJobDone(cb: (lagMs: number, runMs: number) => void): () => void {
		const listener = (job: Job<RecomputeJob>) => {
			if (job.processedOn) cb(job.processedOn - job.timestamp, (job.finishedOn ?? Date.now()) - job.processedOn);
		};
		this.worker.on('completed', listener);
		return () => this.worker.off('completed', listener);
	}

	start(): void {
		void this.worker.run();
	}

	private async process(job: Job<RecomputeJob>) {
		const { sku, site } = job.data ?? ({} as RecomputeJob);
		if (typeof sku !== 'string' || typeof site !== 'string') throw new UnrecoverableError('job data needs sku and site');
		if (tracing()) tracePath('jobStart', [sku]);
		await this.batcher.submit({ sku, site });
	}

	private async requeueDirty(): Promise<void> {
		const keys = [...this.finished.values()];
		this.finished.clear();
		const dirty = await this.d.positions.stillDirty(keys);
		if (dirty.length) await this.d.queue.enqueue(dirty);
	}

	/** Re-enqueues pairs left dirty longer than a job should take: their job was lost. */
	async sweep(): Promise<number> {
		if (this.sweeping) return 0;
		this.sweeping = true;
		try {
			const stale = await this.d.positions.dirtyOlderThan(this.d.sweepAfterSeconds ?? 10, 5_000);
			if (stale.length) {
				this.d.log.info({ pairs: stale.length }, 'sweep re-enqueues dirty pairs');
				// Up to 5,000 pairs in one add: give it longer than a request would wait.
				await this.d.queue.enqueue(stale, 10_000);
			}
			return stale.length;
		} catch (err) {
			this.d.log.warn({ err }, 'sweep failed');
			return 0;
		} finally {
			this.sweeping = false;
		}
	}

	async close(): Promise<void> {
		this.closed = true;
		await this.worker.close();
		await this.recheck.idle();
	}
}
