// The maintenance chores (sweep, outbox pruning, KPI recording) run on BullMQ job schedulers: once
// per interval however many worker processes there are, and back after Redis loses its keys.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MAINTENANCE_QUEUE, MaintenanceWorker } from '../../server/jobs/maintenance.worker.ts';
import { createLogger } from '../../server/logger.ts';
import { deleteRedisPrefix, REDIS_URL } from '../support/services.ts';

const prefix = `pbt_maint_${randomBytes(4).toString('hex')}`;
const log = createLogger('silent');
const EVERY_MS = 400;
const connections: Redis[] = [];
const workers: MaintenanceWorker[] = [];
const runs: number[] = [];

function start(): MaintenanceWorker {
	const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
	connections.push(connection);
	const w = new MaintenanceWorker({ connection, prefix, log, tasks: [{ name: 'chore', everyMs: EVERY_MS, run: async () => void runs.push(Date.now()) }] });
	workers.push(w);
	w.start();
	return w;
}

afterAll(async () => {
	await Promise.all(workers.map((w) => w.close()));
	for (const c of connections) c.disconnect();
	await deleteRedisPrefix(REDIS_URL, prefix);
});

describe('maintenance schedulers', () => {
	it('runs a chore once per interval across three worker processes, not once per process', async () => {
		const three = [start(), start(), start()];
		await Promise.all(three.map((w) => w.ensureSchedulers()));
		await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(10), { timeout: 15_000, interval: 50 });
		const span = runs[runs.length - 1] - runs[0];
		// Three timers would run it three times an interval; one scheduler once (a start-up run or two aside).
		expect(runs.length).toBeLessThanOrEqual(Math.floor(span / EVERY_MS) + 3);
	});

	it('puts a scheduler back after Redis lost its keys, and the chore runs again', async () => {
		const queue = new Queue(MAINTENANCE_QUEUE, { connection: { url: REDIS_URL }, prefix });
		try {
			await vi.waitFor(async () => expect(await queue.getJobScheduler('chore')).toBeTruthy(), { timeout: 10_000 });
			await deleteRedisPrefix(REDIS_URL, prefix);
			expect(await queue.getJobScheduler('chore')).toBeFalsy();
			const before = runs.length;
			// No restart, no reconnect: the running workers notice on their own (a job in flight may still finish).
			await vi.waitFor(async () => expect(await queue.getJobScheduler('chore')).toBeTruthy(), { timeout: 10_000 });
			await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(before + 3), { timeout: 10_000 });
		} finally {
			await queue.close();
		}
	});
});
