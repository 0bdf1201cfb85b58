// The board's dense table: rows sorted and grouped from the same cards the lanes show. Pure, so the
// 500-row derivation is unit-tested and benched without a browser.
// Relative imports: the bench runs this module in Node, where `$lib` does not resolve.
import type { CardValues, ComputedEntry } from '../contract/board.ts';
import type { CommitmentStatus, Risk } from '../contract/domain.ts';
import { REQUEST_MARK } from '../contract/options.ts';
import { addDays } from '../core/dates.ts';
import { shortDate } from './fields.ts';

export const SORT_KEYS = ['customer', 'sku', 'site', 'qty', 'promisedDate', 'status', 'risk', 'requested', 'signals'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const GROUPS = ['none', 'customer', 'site', 'week'] as const;
export type GroupBy = (typeof GROUPS)[number];
export type SortDir = 'asc' | 'desc';
export interface TableSort {
	key: SortKey;
	dir: SortDir;
}

/** A card as the board store holds it (BoardCard), named here so Node code can import this module. */
export type TableCard = CardValues & { id: string };

export interface TableRow {
	id: string;
	card: TableCard;
	verdict: ComputedEntry | undefined;
	/** The verdict of an open card; `closed` once shipped or cancelled. */
	risk: Risk | 'closed';
	requested: boolean;
	signals: number;
}

export type TableItem = { kind: 'group'; key: string; label: string; count: number } | { kind: 'row'; row: TableRow };

const OPEN: (CommitmentStatus | undefined)[] = ['requested', 'confirmed', undefined];
// Worst first when ascending: the order ops reads a board in.
const RISK_ORDER: Record<TableRow['risk'], number> = { short: 0, at_risk: 1, unknown: 2, ok: 3, closed: 4 };
const STATUS_ORDER: Record<CommitmentStatus, number> = { requested: 0, confirmed: 1, shipped: 2, cancelled: 3 };

/**
 * A text's sort key: case and accents folded, digit runs padded so "DC9" sorts before "DC10".
 * Compared with `<`: an Intl.Collator with numeric collation is many times slower per comparison,
 * and a sort makes n log n of them.
 */
export function textKey(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/\d+/g, (d) => d.padStart(12, '0'));
}

export function isRequested(notes: string | undefined): boolean {
	return (notes ?? '').split('\n').some((l) => l.startsWith(REQUEST_MARK));
}

export function toRow(card: TableCard, verdict: ComputedEntry | undefined, signals = 0): TableRow {
	const risk = OPEN.includes(card.status) ? (verdict?.risk ?? 'unknown') : 'closed';
	return { id: card.id, card, verdict, risk, requested: isRequested(card.notes), signals };
}

/** The value a row sorts by; null sorts last in either direction. */
function sortValue(r: TableRow, key: SortKey): string | number | null {
	const c = r.card;
	switch (key) {
		case 'qty':
			return c.qty ?? null;
		case 'status':
			return STATUS_ORDER[c.status ?? 'requested'];
		case 'risk':
			return RISK_ORDER[r.risk];
		case 'requested':
			return r.requested ? 0 : 1;
		case 'signals':
			return -r.signals;
		case 'promisedDate':
			return c.promisedDate || null;
		default:
			return c[key] ? textKey(c[key]) : null;
	}
}

function compareValues(a: string | number, b: string | number): number {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows in the given order; ties keep the soonest ship date first, then the id, so the order is total. */
export function sortRows(rows: readonly TableRow[], sort: TableSort): TableRow[] {
	const sign = sort.dir === 'asc' ? 1 : -1;
	// Decorate once: a comparator that re-derives keys costs n log n lookups.
	const keyed = rows.map((r) => ({ r, v: sortValue(r, sort.key), d: r.card.promisedDate ?? r.card.requestedDate ?? '\uffff' }));
	keyed.sort((x, y) => {
		if (x.v !== y.v) {
			if (x.v === null) return 1;
			if (y.v === null) return -1;
			const c = compareValues(x.v, y.v);
			if (c !== 0) return sign * c;
		}
		return x.d < y.d ? -1 : x.d > y.d ? 1 : x.r.id < y.r.id ? -1 : x.r.id > y.r.id ? 1 : 0;
	});
	return keyed.map((k) => k.r);
}

/** Monday of the ISO week a date falls in. */
export function weekOf(date: string): string {
	const day = new Date(`${date}T12:00:00Z`).getUTCDay();
	return addDays(date, -((day + 6) % 7));
}

function groupOf(r: TableRow, by: Exclude<GroupBy, 'none'>): { key: string; label: string } {
	if (by === 'week') {
		const d = r.card.promisedDate;
		return d ? { key: weekOf(d), label: `Week of ${shortDate(weekOf(d))}` } : { key: '', label: 'Not promised yet' };
	}
	const v = r.card[by];
	return v ? { key: v, label: v } : { key: '', label: by === 'site' ? 'No site yet' : 'No customer' };
}

/** Sorted rows, under a header per group (groups in key order, empty keys last) when grouping. */
export function tableItems(rows: readonly TableRow[], sort: TableSort, group: GroupBy): TableItem[] {
	const sorted = sortRows(rows, sort);
	if (group === 'none') return sorted.map((row) => ({ kind: 'row', row }));
	const groups = new Map<string, { label: string; rows: TableRow[] }>();
	for (const row of sorted) {
		const g = groupOf(row, group);
		const entry = groups.get(g.key);
		if (entry) entry.rows.push(row);
		else groups.set(g.key, { label: g.label, rows: [row] });
	}
	const out: TableItem[] = [];
	const order = [...groups.keys()].map((key) => ({ key, sortKey: textKey(key) }));
	order.sort((a, b) => (a.key === '' ? 1 : b.key === '' ? -1 : compareValues(a.sortKey, b.sortKey)));
	for (const { key } of order) {
		const g = groups.get(key)!;
		out.push({ kind: 'group', key, label: g.label, count: g.rows.length });
		for (const row of g.rows) out.push({ kind: 'row', row });
	}
	return out;
}

/** What a card's options depend on: they are asked for again when it changes. */
export function situationKey(card: TableCard, verdict: ComputedEntry | undefined): string {
	return `${verdict?.risk ?? 'unknown'}|${verdict?.shortQty}|${verdict?.checkedAt}|${card.promisedDate}|${card.site}|${card.qty}`;
}

/**
 * The item index `delta` data rows away from `from` (group headers skipped), stopping at the ends;
 * `from` -1 starts before the first row (so +1 is the first row, -1 the last).
 */
export function moveRow(items: readonly TableItem[], from: number, delta: number): number {
	const step = delta < 0 ? -1 : 1;
	let i = from < 0 ? (step > 0 ? -1 : items.length) : from;
	let last = from;
	for (let left = Math.abs(delta); left > 0; ) {
		i += step;
		if (i < 0 || i >= items.length) break;
		if (items[i].kind === 'row') {
			last = i;
			left--;
		}
	}
	return last;
}
