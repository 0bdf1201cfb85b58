// Sustained ingest, open loop (issue 12): two posters send POST /api/events on a fixed schedule at
// each rate, whatever the server answers, and the lag from each event's storing to the position that
// folds it in is taken from the recompute itself (RecomputeService.onFolded). A rate is kept up when
// the posters got (nearly) all of it accepted on time and the lag p99 stays under a second.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { startNode } from '../server/node.ts';
import { createTestServices } from '../tests/support/services.ts';
import { bullmqBaseline } from './ingest.bench.ts';
import type { PosterJob, PosterReport } from './sustained.poster.ts';
import type { Figure } from './results.ts';
import { fmt, summary } from './stats.ts';

const TOKEN = 'bench-sustained-token-0123456789abcdef';
const LAG_TARGET_MS = 1_000;

/** Starts the posters, waits until each is loaded, then gives them one start instant. */
export async function posters(jobs: PosterJob[]): Promise<{ startAt: number; reports: Promise<PosterReport[]> }> {
	const children = jobs.map((job) => fork(fileURLToPath(new URL('./sustained.poster.ts', import.meta.url)), [JSON.stringify(job)], { execArgv: ['--import', 'tsx'] }));
	const reports = children.map(
		(child) =>
			new Promise<PosterReport>((resolve, reject) => {
				child.on('message', (m) => 'batches' in (m as object) && resolve(m as PosterReport));
				child.once('error', reject);
				child.once('exit', (code) => code !== 0 && reject(new Error(`poster exited with ${code}`)));
			})
	);
	await Promise.all(children.map((child) => new Promise<void>((resolve) => child.once('message', () => resolve()))));
	const startAt = Date.now() + 200;
	for (const child of children) child.send({ startAt });
	return { startAt, reports: Promise.all(reports) };
}

export async function sustainedBench(opts: { rates: number[]; seconds: number; pairs: number; posters: number; tickMs?: number }) {
	const svc = await createTestServices('bench_sustained');
	try {
		const config = loadConfig({
			PORT: '0', HOST: '127.0.0.1', DATABASE_URL: svc.databaseUrl, REDIS_URL: svc.redisUrl,
			REDIS_PREFIX: svc.redisPrefix, INGEST_TOKEN: TOKEN, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent', WORKER_CONCURRENCY: '100'
		});
		const node = await startNode(config, createLogger(config.logLevel), { web: true, workers: true, app: false });
		// The feed's SKUs and sites exist already, as in a running system: no on-the-fly registration
		// (and its insert contention) in the first seconds of the measurement.
		await svc.sql`insert into sites (code, name) select 'S' || g, 'S' || g from generate_series(0, 3) g on conflict do nothing`;
		await svc.sql`insert into skus (code, name) select 'SKU-' || g, 'SKU-' || g from generate_series(0, 249) g on conflict do nothing`;
		const noopJobsPerSecond = await bullmqBaseline(svc.redisUrl, `${svc.redisPrefix}-noop`, 20_000);
		let lags: number[] = [];
		node.services.recompute.onFolded((received) => {
			const now = Date.now();
			for (const r of received) lags.push(now - r.getTime());
		});
		const rows = [];
		for (const rate of opts.rates) {
			lags = [];
			const run = await posters(
				Array.from({ length: opts.posters }, (_, p) => ({
					url: node.url, token: TOKEN, rate: rate / opts.posters, seconds: opts.seconds, tickMs: opts.tickMs ?? 100, poster: p, label: `r${rate}`, pairs: opts.pairs
				}))
			);
			lags = [];
			const startAt = run.startAt;
			const reports = await run.reports;
			const sentSeconds = (Math.max(...reports.map((r) => r.lastAnswerAt)) - startAt) / 1000;
			// Then let the backlog drain: how long until nothing is left dirty.
			const stopAt = Date.now();
			let drainedMs = NaN;
			while (Date.now() - stopAt < 60_000) {
				const [{ n }] = await svc.sql<{ n: number }[]>`select count(*)::int as n from position_dirty where dirty_since is not null`;
				if (n === 0) {
					drainedMs = Date.now() - stopAt;
					break;
				}
				await new Promise((r) => setTimeout(r, 50));
			}
			const events = reports.reduce((s, r) => s + r.events, 0);
			const accepted = reports.reduce((s, r) => s + r.accepted, 0);
			const lag = summary(lags);
			const achieved = accepted / sentSeconds;
			const row = {
				rate,
				events,
				accepted,
				errors: reports.reduce((s, r) => s + r.errors, 0),
				failures: reports.flatMap((r) => r.failures).slice(0, 5),
				lateSends: reports.reduce((s, r) => s + r.lateSends, 0),
				achieved,
				response: summary(reports.flatMap((r) => r.responseMs)),
				lag,
				lagSamples: lags.length,
				drainedMs,
				keptUp: achieved >= 0.95 * rate && lag.p99 < LAG_TARGET_MS
			};
			rows.push(row);
			console.log(reportRow(row));
		}
		await node.close();
		return { seconds: opts.seconds, pairs: opts.pairs, posters: opts.posters, noopJobsPerSecond, rows };
	} finally {
		await svc.teardown();
	}
}

type Row = Awaited<ReturnType<typeof sustainedBench>>['rows'][number];

function reportRow(r: Row): string {
	return (
		`  ${String(r.rate).padStart(6)}/s  achieved ${fmt(r.achieved, 0).padStart(6)}/s  lag p50 ${fmt(r.lag.p50, 0).padStart(6)} ms  p99 ${fmt(r.lag.p99, 0).padStart(6)} ms` +
		`  POST p99 ${fmt(r.response.p99, 0)} ms  late sends ${r.lateSends}  errors ${r.errors}${r.failures.length ? ` (${r.failures.join('; ')})` : ''}  drained ${fmt(r.drainedMs, 0)} ms after  ${r.keptUp ? 'kept up' : 'FELL BEHIND'}`
	);
}

export function reportSustained(r: Awaited<ReturnType<typeof sustainedBench>>): string {
	return [
		`sustained ingest, open loop: ${r.posters} posters, ${r.seconds} s per rate, ${r.pairs} SKU×sites, lag = event stored → position folding it committed`,
		...r.rows.map(reportRow),
		`  baseline BullMQ no-op  ${fmt(r.noopJobsPerSecond, 0)} jobs/s (concurrency 50)`
	].join('\n');
}

export function sustainedFigures(r: Awaited<ReturnType<typeof sustainedBench>>): Figure[] {
	const baseline = { name: 'BullMQ no-op', value: r.noopJobsPerSecond, unit: 'jobs/s' };
	return r.rows.flatMap((row): Figure[] => [
		{
			section: 'sustained',
			name: `open loop at ${row.rate.toLocaleString('en-US')} events/s for ${r.seconds} s: achieved`,
			value: row.achieved,
			unit: 'events/s',
			baseline,
			target: row.rate <= 10_000 ? 'kept up: ≥ 95% accepted, lag p99 < 1 s' : undefined,
			met: row.rate <= 10_000 ? row.keptUp : undefined
		},
		{
			section: 'sustained',
			name: `open loop at ${row.rate.toLocaleString('en-US')} events/s: queue lag p99 (p50 ${fmt(row.lag.p50, 0)} ms)`,
			value: row.lag.p99,
			unit: 'ms',
			target: row.rate <= 10_000 ? '< 1,000 ms' : undefined,
			met: row.rate <= 10_000 ? row.lag.p99 < LAG_TARGET_MS : undefined
		}
	]);
}
