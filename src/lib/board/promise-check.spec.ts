import { describe, expect, it } from 'vitest';
import { dayRef, describePromise, ordinal } from './promise-check.ts';

const option = (site: string, feasible: boolean, earliestDate: string | null, extra: { needsPo?: boolean; shortQty?: number } = {}) => ({
	site, feasible, earliestDate, shortQty: extra.shortQty ?? 0, needsPo: extra.needsPo ?? false
});

describe('describePromise', () => {
	it('says which sites can and from when the others could', () => {
		const r = { feasible: true, site: 'WEST', earliestDate: '2026-12-14', shortQty: 0, needsPo: false, options: [option('WEST', true, '2026-12-14'), option('EAST', false, '2026-12-21', { shortQty: 40 })] };
		expect(describePromise(40, '2026-12-14', r)).toBe('40 by the 14th: yes from WEST; EAST only from the 21st');
	});

	it('says no when no site can, and flags supply that needs a PO', () => {
		const r = { feasible: false, site: 'A', earliestDate: '2027-01-03', shortQty: 5, needsPo: false, options: [option('A', false, '2027-01-03'), option('B', false, null, { shortQty: 7 })] };
		expect(describePromise(5, '2026-12-30', r)).toBe('5 by the 30th: no — A only from the 3rd of January 2027; B cannot (short by 7)');
		const po = { ...r, feasible: true, options: [option('A', true, '2026-12-30', { needsPo: true })] };
		expect(describePromise(5, '2026-12-30', po)).toBe('5 by the 30th: yes from A (needs a PO)');
		expect(describePromise(5, '2026-12-30', { ...r, options: [] })).toBe('5 by the 30th: no site stocks or expects it');
	});
});

it('writes ordinals and day references', () => {
	expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 31].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '31st']);
	expect(dayRef('2026-12-21', '2026-12-14')).toBe('the 21st');
	expect(dayRef('2027-01-02', '2027-12-14')).toBe('the 2nd of January');
});
