// `npm run bench`: every figure is printed beside a baseline measured in the same run, because the
// machine is shared and absolute numbers drift. Results also go to bench/results/<time>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { ingestBench, ingestFigures, recomputeBench, recomputeFigures, reportIngest, reportRecompute } from './ingest.bench.ts';
import { fanoutBench, fanoutFigures, reportFanout } from './fanout.bench.ts';
import { reportSkus, skusBench, skusFigures } from './skus.bench.ts';
import { boardBench, reportBoard } from './board.bench.ts';
import { boardTableBench, reportBoardTable } from './board-table.bench.ts';
import { reportSustained, sustainedBench, sustainedFigures } from './sustained.bench.ts';
import { durableBench, durableFigures, reportDurable } from './durable.bench.ts';
import { cpus, loadavg } from 'node:os';
import { writeLatest, type Figure } from './results.ts';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
const load = loadavg();
// Sections push their headline figures here (see bench/results.ts); they become bench/results/latest.md.
const figures: Figure[] = [];
results.figures = figures;

if (want('recompute')) {
	const r = await recomputeBench(30);
	results.recompute = r;
	figures.push(...recomputeFigures(r));
	console.log(reportRecompute(r) + '\n');
}
if (want('ingest')) {
	const r = await ingestBench({ batches: Number(process.env.BENCH_BATCHES ?? 40), pairs: 1000 });
	results.ingest = r;
	figures.push(...ingestFigures(r));
	console.log(reportIngest(r) + '\n');
}
if (want('sustained')) {
	const r = await sustainedBench({
		rates: (process.env.BENCH_SUSTAINED_RATES ?? '2000,5000,10000,15000').split(',').map(Number),
		seconds: Number(process.env.BENCH_SUSTAINED_SECONDS ?? 60),
		pairs: 1000,
		posters: 2
	});
	results.sustained = r;
	figures.push(...sustainedFigures(r));
	console.log(reportSustained(r) + '\n');
}
if (want('durable')) {
	const r = await durableBench({ edits: Number(process.env.BENCH_DURABLE_EDITS ?? 200), feedRate: Number(process.env.BENCH_DURABLE_FEED ?? 2000), clients: Number(process.env.BENCH_DURABLE_CLIENTS ?? 500) });
	results.durable = r;
	figures.push(...durableFigures(r));
	console.log(reportDurable(r) + '\n');
}

if (want('skus')) {
	const r = await skusBench({ skus: Number(process.env.BENCH_SKUS ?? 100_000), runs: 30 });
	results.skus = r;
	figures.push(...skusFigures(r));
	console.log(reportSkus(r) + '\n');
}

if (want('board')) {
	const r = await boardBench({ rounds: Number(process.env.BENCH_BOARD_ROUNDS ?? 300), coEditors: 20, commitments: 2000, crowds: [20, 100] });
	results.board = r;
	console.log(reportBoard(r) + '\n');
}
if (want('fanout')) {
	const r = await fanoutBench({ clients: Number(process.env.BENCH_CLIENTS ?? 1000), heapAt: [1000, 5000], rounds: Number(process.env.BENCH_ROUNDS ?? 30) });
	results.fanout = r;
	figures.push(...fanoutFigures(r));
	console.log(reportFanout(r) + '\n');
}
if (want('board-table')) {
	const r = boardTableBench({ sizes: [500, 5000], runs: Number(process.env.BENCH_TABLE_RUNS ?? 200) });
	results.boardTable = r;
	console.log(reportBoardTable(r, figures) + '\n');
}

mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/${results.at}.json`.replaceAll(':', '-'), JSON.stringify(results, null, 2));
console.log(`wrote ${writeLatest(figures, { at: String(results.at), node: process.version, load, cpus: cpus().length })}`);
process.exit(0);
