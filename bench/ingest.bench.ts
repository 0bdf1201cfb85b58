import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { startNode } from '../server/node.ts';
import { createTestServices } from '../tests/support/services.ts';
import { addDays } from '../src/lib/core/dates.ts';
import { fmt, sample, summary } from './stats.ts';
import type { Figure } from './results.ts';

const TOKEN = 'bench-ingest-token-0123456789abcdef';

/** BullMQ no-op stream on the same Redis: the ceiling any job-per-pair design can reach here. */
export async function bullmqBaseline(redisUrl: string, prefix: string, jobs: number) {
	const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
	const queue = new Queue('noop', { connection, prefix });
	let done = 0;
	const t0 = performance.now();
	const finished = new Promise<void>((resolve) => {
		const worker = new Worker('noop', async () => {}, { connection: connection.duplicate(), prefix, concurrency: 50 });
		worker.on('completed', () => {
			if (++done === jobs) void worker.close().then(() => resolve());
		});
	});
	for (let i = 0; i < jobs; i += 1000) {
		await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ name: 'n', data: { i: i + k }, opts: { removeOnComplete: true } })));
	}
	await finished;
	const seconds = (performance.now() - t0) / 1000;
	await queue.close();
	connection.disconnect();
	return jobs / seconds;
}

export async function ingestBench(opts: { batches: number; pairs: number }) {
	const svc = await createTestServices('bench_ingest');
	try {
		const config = loadConfig({
			PORT: '0', HOST: '127.0.0.1', DATABASE_URL: svc.databaseUrl, REDIS_URL: svc.redisUrl,
			REDIS_PREFIX: svc.redisPrefix, INGEST_TOKEN: TOKEN, LOG_LEVEL: 'silent', WORKER_CONCURRENCY: '100'
		});
		const node = await startNode(config, createLogger('silent'), { web: true, workers: true, app: false });
		const selectOne = summary(await sample(500, () => svc.sql`select 1`));
		const noopJobsPerSecond = await bullmqBaseline(svc.redisUrl, `${svc.redisPrefix}-noop`, 20_000);

		const lags: number[] = [];
		const runs: number[] = [];
		node.worker!.onJobDone((lag, run) => {
			lags.push(lag);
			runs.push(run);
		});
		const skus = Math.ceil(opts.pairs / 4);
		const at = new Date().toISOString();
		let n = 0;
		const batch = () =>
			JSON.stringify(
				Array.from({ length: 1000 }, (_, i) => ({
					id: `b${n++}`, type: i % 3 === 0 ? 'shipment' : 'receipt', sku: `SKU-${i % skus}`, site: `S${Math.floor(i / skus) % 4}`, qty: 1 + (i % 5), at
				}))
			);
		const bodies = Array.from({ length: opts.batches }, batch);
		const t0 = performance.now();
		// Two posters at a time, like a feed with a little pipelining.
		let next = 0;
		await Promise.all(
			[0, 1].map(async () => {
				while (next < bodies.length) {
					const body = bodies[next++];
					const res = await fetch(`${node.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body });
					if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
				}
			})
		);
		const acceptedMs = performance.now() - t0;
		for (;;) {
			const [{ n: dirty }] = await svc.sql<{ n: number }[]>`select count(*)::int as n from position_dirty where dirty_since is not null`;
			if (dirty === 0) break;
			await new Promise((r) => setTimeout(r, 20));
		}
		const settledMs = performance.now() - t0;
		const events = opts.batches * 1000;
		await node.close();
		return {
			events,
			pairs: opts.pairs,
			httpAcceptedPerSecond: events / (acceptedMs / 1000),
			endToEndPerSecond: events / (settledMs / 1000),
			jobs: lags.length,
			queueLag: summary(lags),
			jobRun: summary(runs),
			noopJobsPerSecond,
			selectOne
		};
	} finally {
		await svc.teardown();
	}
}

/** One SKU×site with 1,000 open commitments and 200 inbound lines: recompute and promise check. */
export async function recomputeBench(runs: number) {
	const svc = await createTestServices('bench_recompute');
	try {
		const config = loadConfig({ PORT: '0', DATABASE_URL: svc.databaseUrl, REDIS_URL: svc.redisUrl, REDIS_PREFIX: svc.redisPrefix, LOG_LEVEL: 'silent' });
		const node = await startNode(config, createLogger('silent'), { web: false, workers: false });
		const today = new Date().toISOString().slice(0, 10);
		await svc.sql`insert into sites (code, name) values ('S', 'S')`;
		await svc.sql`insert into skus (code, name, lead_time_days) values ('BIG', 'Big', 60)`;
		await svc.sql`insert into sku_sites (sku, site, safety_stock) values ('BIG', 'S', 20)`;
		const events = [
			{ id: 'r0', type: 'receipt' as const, sku: 'BIG', site: 'S', qty: 5000, at: `${today}T00:00:00Z` },
			...Array.from({ length: 200 }, (_, i) => ({ id: `po${i}`, type: 'po' as const, sku: 'BIG', site: 'S', qty: 100, po: `PO-${i}`, eta: addDays(today, 1 + (i % 50)), at: `${today}T00:00:00Z` }))
		];
		await node.services.ingest.store(events);
		await svc.sql`
			insert into commitments (id, customer, sku, qty, requested_date, promised_date, site, status)
			select 'c' || g, 'Cust', 'BIG', 5 + g % 20, ${today}::date + (g % 55), ${today}::date + (g % 55), 'S',
				case when g % 4 = 0 then 'requested' else 'confirmed' end
			from generate_series(1, 1000) g`;
		await svc.sql`update position_dirty set dirty_gen = dirty_gen + 1, dirty_since = now()`;
		const principal = { kind: 'bootstrap-ingest' } as const;
		const recompute = summary(
			await sample(runs, async () => {
				await svc.sql`update position_dirty set dirty_gen = dirty_gen + 1, dirty_since = now() where sku = 'BIG'`;
				await node.services.recompute.recompute({ sku: 'BIG', site: 'S' });
			})
		);
		const userish = { kind: 'user', userId: 'x', sessionId: 'x', email: 'b', name: 'b', role: 'ops', sites: null } as const;
		void principal;
		// One check first: it builds the profile the others reuse, as the first check after a change does.
		const build = summary(await sample(1, () => node.services.availability.promiseCheck(userish, { sku: 'BIG', qty: 40, date: addDays(today, 10), site: 'S' })));
		const check = summary(await sample(runs * 20, () => node.services.availability.promiseCheck(userish, { sku: 'BIG', qty: 1 + Math.floor(Math.random() * 80), date: addDays(today, Math.floor(Math.random() * 60)), site: 'S' })));
		const checkAll = summary(await sample(runs * 5, () => node.services.availability.promiseCheck(userish, { sku: 'BIG', qty: 40, date: addDays(today, 10) })));
		const selectOne = summary(await sample(500, () => svc.sql`select 1`));
		await node.close();
		return { recompute, promiseCheck: check, promiseCheckFirst: build.max, promiseCheckAllSites: checkAll, selectOne };
	} finally {
		await svc.teardown();
	}
}

export function reportIngest(r: Awaited<ReturnType<typeof ingestBench>>) {
	return [
		`ingest: ${r.events} events over ${r.pairs} SKU×sites in batches of 1,000`,
		`  HTTP accepted      ${fmt(r.httpAcceptedPerSecond, 0)} events/s`,
		`  end to end         ${fmt(r.endToEndPerSecond, 0)} events/s (POST → every position recomputed)`,
		`  recompute jobs     ${r.jobs} (${fmt(r.events / Math.max(1, r.jobs), 1)} events per job after deduplication)`,
		`  queue lag          p50 ${fmt(r.queueLag.p50, 0)} ms, p99 ${fmt(r.queueLag.p99, 0)} ms`,
		`  job run time       p50 ${fmt(r.jobRun.p50, 1)} ms, p99 ${fmt(r.jobRun.p99, 1)} ms`,
		`  baseline BullMQ    ${fmt(r.noopJobsPerSecond, 0)} no-op jobs/s (concurrency 50)  → recompute jobs/s ÷ no-op = ${fmt(r.jobs / (r.events / r.endToEndPerSecond) / r.noopJobsPerSecond, 3)}`,
		`  baseline SELECT 1  p50 ${fmt(r.selectOne.p50, 3)} ms`
	].join('\n');
}

export function reportRecompute(r: Awaited<ReturnType<typeof recomputeBench>>) {
	const ratio = (x: number) => fmt(x / r.selectOne.p50, 0);
	return [
		'one SKU×site with 1,000 open commitments and 200 inbound lines:',
		`  recompute (position, ATP, 1,000 risks, alerts, one transaction)  p50 ${fmt(r.recompute.p50)} ms  p99 ${fmt(r.recompute.p99)} ms  = ${ratio(r.recompute.p50)}× SELECT 1`,
		`  promise check, one site     p50 ${fmt(r.promiseCheck.p50)} ms  p99 ${fmt(r.promiseCheck.p99)} ms  = ${ratio(r.promiseCheck.p50)}× SELECT 1 (first after a change, building the kept profile: ${fmt(r.promiseCheckFirst)} ms)`,
		`  promise check, all sites    p50 ${fmt(r.promiseCheckAllSites.p50)} ms  p99 ${fmt(r.promiseCheckAllSites.p99)} ms`,
		`  baseline SELECT 1           p50 ${fmt(r.selectOne.p50, 3)} ms`
	].join('\n');
}

export function ingestFigures(r: Awaited<ReturnType<typeof ingestBench>>): Figure[] {
	return [
		{
			section: 'ingest',
			name: `burst of ${r.events.toLocaleString('en-US')} events, POST → every position (queue lag p99 ${fmt(r.queueLag.p99, 0)} ms)`,
			value: r.endToEndPerSecond,
			unit: 'events/s',
			baseline: { name: 'BullMQ no-op', value: r.noopJobsPerSecond, unit: 'jobs/s' },
			target: '≥ 12,000 events/s',
			met: r.endToEndPerSecond >= 12_000
		}
	];
}

export function recomputeFigures(r: Awaited<ReturnType<typeof recomputeBench>>): Figure[] {
	return [
		{
			section: 'recompute',
			name: `promise check, one SKU×site with 1,000 commitments, p99 (p50 ${fmt(r.promiseCheck.p50)} ms)`,
			value: r.promiseCheck.p99,
			unit: 'ms',
			baseline: { name: 'SELECT 1 p50', value: r.selectOne.p50, unit: 'ms' },
			target: '≤ 5 ms',
			met: r.promiseCheck.p99 <= 5
		},
		{
			section: 'recompute',
			name: 'recompute of one SKU×site with 1,000 commitments and 200 inbound lines, p50',
			value: r.recompute.p50,
			unit: 'ms',
			baseline: { name: 'SELECT 1 p50', value: r.selectOne.p50, unit: 'ms' }
		}
	];
}
