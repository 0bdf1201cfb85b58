// CSV import and export (an extension of the contract, documented in the README). The column lists
// are shared so the import page can say what a file must look like.

export const IMPORT_KINDS = ['sites', 'skus', 'stock', 'pos', 'commitments', 'lanes'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Lists that export to CSV: every import kind (re-importable as is) and a few read-only lists. */
export const EXPORT_LISTS = [...IMPORT_KINDS, 'positions', 'alerts', 'signals'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];

export const MAX_IMPORT_ROWS = 100_000;
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
/** Problems listed in one answer; the count says how many there were in all. */
export const MAX_IMPORT_PROBLEMS = 1000;

/** Columns per kind, in export order; `required` must be present in the header. */
export const IMPORT_COLUMNS: Record<ImportKind, { columns: readonly string[]; required: readonly string[]; about: string }> = {
	sites: { columns: ['code', 'name', 'time_zone'], required: ['code', 'name'], about: 'one row per site; time_zone is an IANA zone (default UTC)' },
	skus: {
		columns: ['code', 'name', 'unit', 'lifecycle', 'lead_time_days', 'site', 'safety_stock', 'reorder_point'],
		required: ['code', 'name'],
		about: 'one row per SKU and site (site blank: the SKU alone); SKU columns repeat identically on each of its rows'
	},
	stock: {
		columns: ['sku', 'site', 'qty', 'counted_at'],
		required: ['sku', 'site', 'qty'],
		about: 'stock counts: qty is the counted on-hand; counted_at an ISO-8601 instant (default: the time of import)'
	},
	pos: {
		columns: ['po', 'sku', 'site', 'qty', 'eta', 'at'],
		required: ['po', 'sku', 'site', 'qty'],
		about: 'purchase-order lines: po is the line key, qty the open quantity (0 closes it), eta YYYY-MM-DD'
	},
	commitments: {
		columns: ['id', 'board', 'customer', 'sku', 'qty', 'requested_date', 'promised_date', 'site', 'status', 'owner', 'priority', 'notes'],
		required: ['customer', 'sku', 'qty', 'requested_date'],
		about: 'new or changed commitments, under the same field-ownership rules as the board; id blank: a new one'
	},
	lanes: {
		columns: ['from_site', 'to_site', 'transit_days'],
		required: ['from_site', 'to_site', 'transit_days'],
		about: 'transit days from one site to another (one row per direction); both sites must exist'
	}
};

/** One bad row and field; row 0 is the header. `line` is the file line the row ends on. */
export interface ImportProblem {
	row: number;
	line: number;
	field: string;
	message: string;
}

export interface ImportReport {
	kind: ImportKind;
	dryRun: boolean;
	/** Data rows read (the header not counted). */
	rows: number;
	/** True when nothing is wrong: a dry run would write, a real run did. */
	ok: boolean;
	problemCount: number;
	/** Distinct rows with at least one problem (row 0, the header, included). */
	badRows: number;
	problems: ImportProblem[];
	/** Things that will happen that the reader may not expect (e.g. a SKU registered on the fly). */
	notes: string[];
	/** The first rows as they will be written, for the preview. */
	preview: Record<string, string | number | null>[];
	/** Rows written (0 on a dry run or when anything is wrong). */
	written: number;
}
