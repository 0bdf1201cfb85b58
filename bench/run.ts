// `npm run bench`: every figure is printed beside a baseline measured in the same run, because the
// machine is shared and absolute numbers drift. Results also go to bench/results/<time>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { ingestBench, recomputeBench, reportIngest, reportRecompute } from './ingest.bench.ts';

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };

if (want('recompute')) {
	const r = await recomputeBench(30);
	results.recompute = r;
	console.log(reportRecompute(r) + '\n');
}
if (want('ingest')) {
	const r = await ingestBench({ batches: Number(process.env.BENCH_BATCHES ?? 40), pairs: 1000 });
	results.ingest = r;
	console.log(reportIngest(r) + '\n');
}

mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/${results.at}.json`.replaceAll(':', '-'), JSON.stringify(results, null, 2));
process.exit(0);
