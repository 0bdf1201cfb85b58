// Every figure a bench section reports, in one shape, so `npm run bench` can write
// bench/results/latest.md with each figure beside the baseline from the same run and its target.
// Two runs are compared by diffing two latest.md files (or the timestamped JSON beside them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fmt } from './stats.ts';

export interface Figure {
	/** Bench section (`fanout`, `ingest`, `board`, …). */
	section: string;
	/** What was measured, e.g. "event POST → alert at 1,000 wall clients, p99". */
	name: string;
	value: number;
	unit: string;
	/** The figure measured in the same run that `value` is judged against. */
	baseline?: { name: string; value: number; unit: string };
	/** Human-readable target, e.g. "≤ 1.5× baseline" or "≤ 5 ms". */
	target?: string;
	/** Whether the target was met; undefined when the figure has no target. */
	met?: boolean;
}

/** `value / baseline.value`, the ratio most targets are stated in. */
export const ratio = (f: Pick<Figure, 'value' | 'baseline'>) => (f.baseline ? f.value / f.baseline.value : NaN);

const cell = (n: number, unit: string) => `${fmt(n, n >= 100 ? 0 : 2)} ${unit}`.trim();

export function markdown(figures: Figure[], meta: { at: string; node: string; load: number[]; cpus: number }): string {
	const lines = [
		`# Bench results`,
		'',
		`Run at ${meta.at} on Node ${meta.node}, ${meta.cpus} cores, load average at start ${meta.load.map((l) => l.toFixed(2)).join(' / ')}.`,
		'Every baseline was measured in the same run; ratios are what to compare between runs.',
		'',
		'| section | figure | value | baseline (same run) | ratio | target | met |',
		'|---|---|---|---|---|---|---|'
	];
	for (const f of figures) {
		const base = f.baseline ? `${f.baseline.name}: ${cell(f.baseline.value, f.baseline.unit)}` : '—';
		const r = f.baseline ? `${fmt(ratio(f))}×` : '—';
		const met = f.met === undefined ? '—' : f.met ? 'yes' : '**no**';
		lines.push(`| ${f.section} | ${f.name} | ${cell(f.value, f.unit)} | ${base} | ${r} | ${f.target ?? '—'} | ${met} |`);
	}
	return lines.join('\n') + '\n';
}

export function writeLatest(figures: Figure[], meta: Parameters<typeof markdown>[1]): string {
	mkdirSync('bench/results', { recursive: true });
	const path = 'bench/results/latest.md';
	writeFileSync(path, markdown(figures, meta));
	return path;
}
