import { GROUPS, SORT_KEYS, type GroupBy, type SortKey, type TableSort } from './board-table.ts';

export const VIEWS = ['lanes', 'table'] as const;
export type BoardViewMode = (typeof VIEWS)[number];

const pick = <T extends string>(allowed: readonly T[], value: string | null, fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);

/**
 * How the board is shown: lanes or the dense table, its sort and grouping. Kept in the URL
 * (`?view=table&sort=risk&dir=asc&group=site`) so a view can be linked; unknown values fall back to
 * the defaults rather than failing the page.
 */
export class BoardView {
	mode = $state<BoardViewMode>('lanes');
	sort = $state<TableSort>({ key: 'promisedDate', dir: 'asc' });
	group = $state<GroupBy>('none');

	static from(params: URLSearchParams): BoardView {
		const v = new BoardView();
		v.mode = pick(VIEWS, params.get('view'), 'lanes');
		v.sort = { key: pick(SORT_KEYS, params.get('sort'), 'promisedDate'), dir: params.get('dir') === 'desc' ? 'desc' : 'asc' };
		v.group = pick(GROUPS, params.get('group'), 'none');
		return v;
	}

	/** Click on a column header: that column ascending, or the other way round if it already sorts. */
	sortBy(key: SortKey): void {
		this.sort = { key, dir: this.sort.key === key && this.sort.dir === 'asc' ? 'desc' : 'asc' };
	}

	/** The query with this view written into it (defaults left out); other parameters are kept. */
	write(params: URLSearchParams): string {
		// A scratch copy to build a string from, not state.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const next = new URLSearchParams(params);
		const set = (name: string, value: string, fallback: string) => (value === fallback ? next.delete(name) : next.set(name, value));
		set('view', this.mode, 'lanes');
		set('sort', this.sort.key, 'promisedDate');
		set('dir', this.sort.dir, 'asc');
		set('group', this.group, 'none');
		const query = next.toString();
		return query ? `?${query}` : '';
	}
}
