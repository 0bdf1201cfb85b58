import { describe, expect, it } from 'vitest';
import { filterHref, optionsOf, siteOptions } from './filter-bar.ts';

describe('filterHref', () => {
	it('leaves empty values and defaults out of the URL', () => {
		expect(filterHref('/skus', { q: '', site: 'A', sort: 'code', dir: 'asc', offset: 0 }, { sort: 'code', dir: 'asc', offset: 0 })).toBe('/skus?site=A');
		expect(filterHref('/skus', { q: '', offset: 0 }, { offset: 0 })).toBe('/skus');
	});

	it('keeps a non-default value and encodes it', () => {
		expect(filterHref('/stock', { site: 'A B', q: 'K&1', offset: 50 }, { offset: 0 })).toBe('/stock?site=A+B&q=K%261&offset=50');
	});
});

describe('options', () => {
	it('puts the "any" entry first, when there is one', () => {
		expect(optionsOf(['low', 'high'], (v) => v.toUpperCase(), 'Any')).toEqual([{ value: '', label: 'Any' }, { value: 'low', label: 'LOW' }, { value: 'high', label: 'HIGH' }]);
		expect(siteOptions([{ code: 'A', name: 'Alpha' }])).toEqual([{ value: 'A', label: 'A — Alpha' }]);
	});
});
