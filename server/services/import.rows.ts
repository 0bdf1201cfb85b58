// Row schemas of the CSV import: a row is a record of strings (blank = absent); each kind turns it
// into typed values or names every bad field. Pure, so the whole file is checked before any write.
import { z } from 'zod';
import { timeZoneSchema } from '../../src/lib/contract/admin.ts';
import { boardIdSchema, commitmentIdSchema } from '../../src/lib/contract/commitments.ts';
import { COMMITMENT_STATUSES, LIFECYCLE_STAGES } from '../../src/lib/contract/domain.ts';
import { IMPORT_COLUMNS, type ImportKind } from '../../src/lib/contract/import.ts';
import { isoDate } from '../../src/lib/contract/inventory-event.ts';

/** Blank cells are absent: `undefined` for the schema, so `.optional()` and defaults apply. */
const opt = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());
const req = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s);
const whole = (min: number, max: number) =>
	z
		.string({ message: 'is required' })
		.regex(/^-?\d+$/, 'expected a whole number')
		.transform(Number)
		.pipe(z.number().min(min, `must be ${min} or more`).max(max, `must be ${max} or less`));
const code = z
	.string({ message: 'is required' })
	.max(64, 'at most 64 characters')
	.regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only');
const text = (max: number) => z.string({ message: 'is required' }).max(max, `at most ${max} characters`);
const instant = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 timestamp with offset' });
const date = z.string({ message: 'is required' }).pipe(isoDate);

const rows = {
	sites: z.object({
		code: req(code),
		name: req(text(120)),
		time_zone: opt(timeZoneSchema).transform((v) => v ?? 'UTC')
	}),
	skus: z
		.object({
			code: req(code),
			name: req(text(120)),
			unit: opt(text(16)).transform((v) => v ?? 'ea'),
			lifecycle: opt(z.enum(LIFECYCLE_STAGES, { message: `one of ${LIFECYCLE_STAGES.join(', ')}` })).transform((v) => v ?? 'mature'),
			lead_time_days: opt(whole(0, 3650)).transform((v) => v ?? null),
			site: opt(code).transform((v) => v ?? null),
			safety_stock: opt(whole(0, 1_000_000_000)).transform((v) => v ?? null),
			reorder_point: opt(whole(0, 1_000_000_000)).transform((v) => v ?? null)
		})
		.superRefine((r, ctx) => {
			if (r.site === null && (r.safety_stock !== null || r.reorder_point !== null)) {
				ctx.addIssue({ code: 'custom', path: ['site'], message: 'is required when safety_stock or reorder_point is given' });
			}
		}),
	stock: z.object({
		sku: req(code),
		site: req(code),
		qty: req(whole(0, 1_000_000_000)),
		counted_at: opt(instant).transform((v) => v ?? null)
	}),
	pos: z.object({
		po: req(text(128)),
		sku: req(code),
		site: req(code),
		qty: req(whole(0, 1_000_000_000)),
		eta: opt(date).transform((v) => v ?? null),
		at: opt(instant).transform((v) => v ?? null)
	}),
	commitments: z.object({
		id: opt(commitmentIdSchema).transform((v) => v ?? null),
		board: opt(boardIdSchema).transform((v) => v ?? 'main'),
		customer: req(text(200)),
		sku: req(code),
		qty: req(whole(1, 100_000_000)),
		requested_date: req(date),
		promised_date: opt(date).transform((v) => v ?? null),
		site: opt(code).transform((v) => v ?? null),
		status: opt(z.enum(COMMITMENT_STATUSES, { message: `one of ${COMMITMENT_STATUSES.join(', ')}` })).transform((v) => v ?? 'requested'),
		owner: opt(text(254)).transform((v) => v ?? null),
		priority: opt(whole(0, 9)).transform((v) => v ?? 0),
		notes: opt(text(20_000)).transform((v) => v ?? '')
	}),
	lanes: z
		.object({ from_site: req(code), to_site: req(code), transit_days: req(whole(0, 365)) })
		.refine((r) => r.from_site !== r.to_site, { path: ['to_site'], message: 'must differ from from_site' })
} satisfies Record<ImportKind, z.ZodType>;

export type ImportRow<K extends ImportKind> = z.output<(typeof rows)[K]>;
export type AnyImportRow = ImportRow<ImportKind>;

export interface FieldProblem {
	field: string;
	message: string;
}

/** Unknown and missing header columns, named (row 0). */
export function headerProblems(kind: ImportKind, names: string[]): FieldProblem[] {
	const spec = IMPORT_COLUMNS[kind];
	const out: FieldProblem[] = [];
	const seen = new Set<string>();
	for (const n of names) {
		if (!spec.columns.includes(n)) out.push({ field: n || '(blank)', message: `unknown column; expected ${spec.columns.join(', ')}` });
		else if (seen.has(n)) out.push({ field: n, message: 'column appears twice' });
		seen.add(n);
	}
	for (const r of spec.required) if (!seen.has(r)) out.push({ field: r, message: 'required column is missing' });
	return out;
}

export function parseRow<K extends ImportKind>(kind: K, values: Record<string, string>): { row?: ImportRow<K>; problems: FieldProblem[] } {
	const input: Record<string, string> = {};
	for (const c of IMPORT_COLUMNS[kind].columns) input[c] = values[c] ?? '';
	const r = rows[kind].safeParse(input);
	if (r.success) return { row: r.data as ImportRow<K>, problems: [] };
	return { problems: r.error.issues.map((i) => ({ field: String(i.path[0] ?? '*'), message: i.message })) };
}

/** The key two rows of a file may not share, and for SKUs the fields its rows must repeat alike. */
export function rowKey(kind: ImportKind, r: AnyImportRow): string | null {
	const x = r as Record<string, unknown>;
	switch (kind) {
		case 'sites':
			return String(x.code);
		case 'skus':
			return `${x.code}\u0000${x.site ?? ''}`;
		case 'stock':
			return `${x.sku}\u0000${x.site}`;
		case 'pos':
			return `${x.po}\u0000${x.sku}\u0000${x.site}`;
		case 'commitments':
			return x.id === null ? null : String(x.id);
		case 'lanes':
			return `${x.from_site}\u0000${x.to_site}`;
	}
}

export const SKU_FIELDS = ['name', 'unit', 'lifecycle', 'lead_time_days'] as const;
