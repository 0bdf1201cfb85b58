import { describe, expect, it } from 'vitest';
import { BoardView } from './board-view.svelte';

describe('the board view in the URL', () => {
	it('reads what it knows, falls back on the rest, and writes only what differs from the defaults', () => {
		const v = BoardView.from(new URLSearchParams('view=table&sort=risk&dir=desc&group=bogus&commitment=c-1'));
		expect([v.mode, v.sort, v.group]).toEqual(['table', { key: 'risk', dir: 'desc' }, 'none']);
		v.group = 'site';
		expect(v.write(new URLSearchParams('commitment=c-1&group=bogus'))).toBe('?commitment=c-1&group=site&view=table&sort=risk&dir=desc');
		expect(new BoardView().write(new URLSearchParams('view=table'))).toBe('');
	});

	it('a header click sorts by that column, a second one the other way round', () => {
		const v = new BoardView();
		v.sortBy('customer');
		expect(v.sort).toEqual({ key: 'customer', dir: 'asc' });
		v.sortBy('customer');
		expect(v.sort).toEqual({ key: 'customer', dir: 'desc' });
		v.sortBy('qty');
		expect(v.sort).toEqual({ key: 'qty', dir: 'asc' });
	});
});
