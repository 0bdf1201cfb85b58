// The board table's derivation (issue 13): rows from 500 (and 5,000) cards, sorted, filtered and
// grouped, against the naive sort of the same cards the lanes do, in the same run. Pure code, no
// browser: what a click on a header costs before Svelte renders the ~40 rows in view.
import { tableItems, toRow, type TableCard, type TableSort } from '../src/lib/board/board-table.ts';
import type { ComputedEntry } from '../src/lib/contract/board.ts';
import type { Figure } from './results.ts';
import { fmt, summary } from './stats.ts';

const RISKS = ['ok', 'at_risk', 'short', 'unknown'] as const;

function board(n: number) {
	const cards: TableCard[] = [];
	const verdicts = new Map<string, ComputedEntry>();
	for (let i = 0; i < n; i++) {
		const day = String(1 + (i % 28)).padStart(2, '0');
		cards.push({ id: `c-${i}`, customer: `Customer ${i % 97}`, sku: `SKU-${i % 50}`, site: ['WEST', 'EAST', 'NORTH'][i % 3], qty: 1 + (i % 40), requestedDate: `2026-12-${day}`, promisedDate: `2026-12-${day}`, status: 'confirmed', notes: '' });
		verdicts.set(`c-${i}`, { risk: RISKS[i % 4], shortQty: 0, earliestDate: null, checkedAt: null });
	}
	return { cards, verdicts };
}

function time(runs: number, fn: () => unknown): number[] {
	const out: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		fn();
		out.push(performance.now() - t);
	}
	return out;
}

export function boardTableBench(opts: { sizes: number[]; runs: number }) {
	const sorts: TableSort[] = [
		{ key: 'customer', dir: 'asc' },
		{ key: 'risk', dir: 'desc' },
		{ key: 'promisedDate', dir: 'asc' }
	];
	return opts.sizes.map((n) => {
		const { cards, verdicts } = board(n);
		let k = 0;
		// What the page does on a header click: rows from the (filtered) cards, sorted and grouped.
		const derive = () => tableItems(cards.filter((c) => c.site !== 'NONE').map((c) => toRow(c, verdicts.get(c.id))), sorts[k++ % sorts.length], 'site');
		const naive = () => [...cards].sort((a, b) => (a.customer ?? '').localeCompare(b.customer ?? ''));
		time(50, derive);
		time(50, naive);
		return { n, table: summary(time(opts.runs, derive)), naive: summary(time(opts.runs, naive)) };
	});
}

export function reportBoardTable(r: ReturnType<typeof boardTableBench>, figures: Figure[]): string {
	const lines = ['board table: filter + sort + group of the board\'s rows (one header click)'];
	for (const s of r) {
		lines.push(`  ${s.n} cards: p50 ${fmt(s.table.p50, 3)} ms, p99 ${fmt(s.table.p99, 3)} ms; naive localeCompare sort of the same cards p50 ${fmt(s.naive.p50, 3)} ms (${fmt(s.table.p50 / s.naive.p50)}×)`);
		figures.push({
			section: 'board-table',
			name: `re-sort + group ${s.n} table rows, p50`,
			value: s.table.p50,
			unit: 'ms',
			baseline: { name: 'naive localeCompare sort of the same cards', value: s.naive.p50, unit: 'ms' },
			target: s.n <= 500 ? '≤ 4 ms (a quarter of a 60 Hz frame)' : undefined,
			met: s.n <= 500 ? s.table.p50 <= 4 : undefined
		});
	}
	return lines.join('\n');
}
