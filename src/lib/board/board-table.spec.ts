import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComputedEntry } from '$lib/contract/board';
import { REQUEST_MARK } from '$lib/contract/options';
import { moveRow, sortRows, tableItems, toRow, weekOf, type GroupBy, type SortKey, type TableItem, type TableRow } from './board-table.ts';
import type { TableCard as BoardCard } from './board-table.ts';

const verdict = (risk: ComputedEntry['risk']): ComputedEntry => ({ risk, shortQty: risk === 'short' ? 5 : 0, earliestDate: null, checkedAt: '2026-12-01T00:00:00Z' });
const card = (id: string, v: Partial<BoardCard> = {}): BoardCard => ({ id, customer: `C ${id}`, sku: 'S', qty: 1, requestedDate: '2026-12-10', status: 'confirmed', ...v });
const ids = (items: TableItem[]) => items.map((i) => (i.kind === 'row' ? i.row.id : `#${i.label}:${i.count}`));

describe('the board table rows', () => {
	it('sorts by verdict worst first, closed cards last, then by ship date', () => {
		const rows = [
			toRow(card('ok', { promisedDate: '2026-12-01' }), verdict('ok')),
			toRow(card('shipped', { status: 'shipped' }), verdict('short')),
			toRow(card('short-late', { promisedDate: '2026-12-09' }), verdict('short')),
			toRow(card('short-soon', { promisedDate: '2026-12-02' }), verdict('short')),
			toRow(card('risk'), verdict('at_risk'))
		];
		expect(sortRows(rows, { key: 'risk', dir: 'asc' }).map((r) => r.id)).toEqual(['short-soon', 'short-late', 'risk', 'ok', 'shipped']);
		expect(sortRows(rows, { key: 'risk', dir: 'desc' }).map((r) => r.id)).toEqual(['shipped', 'ok', 'risk', 'short-soon', 'short-late']);
	});

	it('puts empty values last in either direction and compares numbers in text naturally', () => {
		const rows = [toRow(card('a', { site: 'DC10' }), undefined), toRow(card('b', { site: null }), undefined), toRow(card('c', { site: 'DC9' }), undefined)];
		expect(sortRows(rows, { key: 'site', dir: 'asc' }).map((r) => r.id)).toEqual(['c', 'a', 'b']);
		expect(sortRows(rows, { key: 'site', dir: 'desc' }).map((r) => r.id)).toEqual(['a', 'c', 'b']);
	});

	it('reads the request mark from the notes', () => {
		expect(toRow(card('r', { notes: `hello\n${REQUEST_MARK} split` }), undefined).requested).toBe(true);
		expect(toRow(card('n', { notes: 'no mark here ⚑' }), undefined).requested).toBe(false);
	});

	it('groups by promised week (Monday), with counts, unpromised last', () => {
		expect(weekOf('2026-12-17')).toBe('2026-12-14');
		expect(weekOf('2026-12-14')).toBe('2026-12-14');
		expect(weekOf('2026-12-20')).toBe('2026-12-14');
		const rows = [card('x', { promisedDate: '2026-12-22' }), card('y'), card('z', { promisedDate: '2026-12-15' }), card('w', { promisedDate: '2026-12-17' })].map((c) => toRow(c, undefined));
		expect(ids(tableItems(rows, { key: 'promisedDate', dir: 'asc' }, 'week'))).toEqual(['#Week of Mon 14 Dec:2', 'z', 'w', '#Week of Mon 21 Dec:1', 'x', '#Not promised yet:1', 'y']);
	});

	it('every row appears once, under the right group, sorted within it (any cards, any sort)', () => {
		const arbCard = fc.record({
			customer: fc.constantFrom('Acme', 'Beta', 'acme', null),
			site: fc.constantFrom('A', 'B', 'C10', null),
			qty: fc.integer({ min: 1, max: 50 }),
			promisedDate: fc.constantFrom('2026-12-01', '2026-12-09', '2026-12-30', null),
			status: fc.constantFrom('requested', 'confirmed', 'shipped', 'cancelled')
		});
		fc.assert(
			fc.property(fc.array(arbCard, { maxLength: 40 }), fc.constantFrom<SortKey>('customer', 'site', 'qty', 'promisedDate', 'status'), fc.boolean(), fc.constantFrom<GroupBy>('none', 'customer', 'site', 'week'), (cards, key, asc, group) => {
				const rows: TableRow[] = cards.map((c, i) => toRow(card(`c${i}`, c as Partial<BoardCard>), verdict('ok')));
				const items = tableItems(rows, { key, dir: asc ? 'asc' : 'desc' }, group);
				const seen = items.filter((i) => i.kind === 'row').map((i) => i.row.id);
				expect([...seen].sort()).toEqual(rows.map((r) => r.id).sort());
				const headers = items.filter((i) => i.kind === 'group');
				expect(headers.reduce((n, h) => n + h.count, 0)).toBe(group === 'none' ? 0 : rows.length);
				// Within each run of rows, the order is the plain sort's order of those rows.
				let run: TableRow[] = [];
				for (const item of [...items, null]) {
					if (item?.kind === 'row') run.push(item.row);
					else {
						expect(run.map((r) => r.id)).toEqual(sortRows(run, { key, dir: asc ? 'asc' : 'desc' }).map((r) => r.id));
						run = [];
					}
				}
			})
		);
	});
});

describe('moving the active row', () => {
	const items: TableItem[] = tableItems([card('a', { site: 'A' }), card('b', { site: 'A' }), card('c', { site: 'B' })].map((c) => toRow(c, undefined)), { key: 'customer', dir: 'asc' }, 'site');
	// [#A, a, b, #B, c]
	it('skips group headers and stops at the ends', () => {
		expect(moveRow(items, -1, 1)).toBe(1);
		expect(moveRow(items, -1, -1)).toBe(4);
		expect(moveRow(items, 2, 1)).toBe(4);
		expect(moveRow(items, 4, 1)).toBe(4);
		expect(moveRow(items, 1, -1)).toBe(1);
		expect(moveRow(items, 1, 10)).toBe(4);
	});
});
