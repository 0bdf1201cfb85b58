import type { SortKey } from '$lib/board/board-table';

export interface TableColumn {
	id: string;
	label: string;
	/** Spoken and shown on hover when the header is a symbol. */
	title?: string;
	sort?: SortKey;
	width: string;
}

/** The dense table's columns, in order; unsortable ones are fetched lazily or change by the second. */
export const COLUMNS: TableColumn[] = [
	{ id: 'customer', label: 'Customer', sort: 'customer', width: 'minmax(7rem,1.3fr)' },
	{ id: 'sku', label: 'SKU', sort: 'sku', width: 'minmax(5.5rem,1fr)' },
	{ id: 'site', label: 'Site', sort: 'site', width: '4.5rem' },
	{ id: 'qty', label: 'Qty', sort: 'qty', width: '4.5rem' },
	{ id: 'promised', label: 'Promised', sort: 'promisedDate', width: '7.5rem' },
	{ id: 'status', label: 'Status', sort: 'status', width: '6.5rem' },
	{ id: 'risk', label: 'Verdict', sort: 'risk', width: 'minmax(6rem,1fr)' },
	{ id: 'option', label: 'Best option', width: 'minmax(7rem,1.8fr)' },
	{ id: 'requested', label: '⚑', title: 'Option requested', sort: 'requested', width: '2.75rem' },
	{ id: 'signals', label: 'Signals', sort: 'signals', width: '5rem' },
	{ id: 'presence', label: 'Who', title: 'Who has it open', width: '4.5rem' }
];

export const GRID_COLUMNS = COLUMNS.map((c) => c.width).join(' ');
export const ROW_HEIGHT = 36;
