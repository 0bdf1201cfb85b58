import type { Readable } from 'node:stream';
import {
	IMPORT_KINDS,
	MAX_IMPORT_BYTES,
	MAX_IMPORT_PROBLEMS,
	MAX_IMPORT_ROWS,
	type ImportKind,
	type ImportProblem,
	type ImportReport
} from '../../src/lib/contract/import.ts';
import { can, importAction, principalLabel, type Principal } from '../../src/lib/policy/access.policy.ts';
import { readCsv } from './csv.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import { headerProblems, parseRow, rowKey, SKU_FIELDS, type AnyImportRow } from './import.rows.ts';
import { prepareImport, type ImportWriterDeps, type ParsedRow } from './import.writers.ts';

const PREVIEW_ROWS = 20;

/** Problems of one import: all are counted, the first MAX_IMPORT_PROBLEMS are listed. */
export class Problems {
	readonly list: ImportProblem[] = [];
	readonly rows = new Set<number>();
	count = 0;
	add(p: ImportProblem): void {
		this.count++;
		this.rows.add(p.row);
		if (this.list.length < MAX_IMPORT_PROBLEMS) this.list.push(p);
	}
}

export function isImportKind(kind: string): kind is ImportKind {
	return (IMPORT_KINDS as readonly string[]).includes(kind);
}

/**
 * CSV import of sites, SKUs, stock counts, PO lines and commitments: the whole file is read and
 * checked (every bad row and field is named) before anything is written, then written all or
 * nothing. A dry run stops after the checks: the preview the import page shows.
 */
export class ImportService {
	constructor(private readonly d: ImportWriterDeps) {}

	async run(p: Principal, kind: string, source: Readable | string, opts: { dryRun: boolean }): Promise<ImportReport> {
		if (!isImportKind(kind)) throw new NotFoundError(`no import of ${kind}; one of ${IMPORT_KINDS.join(', ')}`);
		if (!can(p, 'import') || !can(p, importAction(kind))) throw new ForbiddenError(`your role may not import ${kind}`);
		const problems = new Problems();
		const parsed: ParsedRow[] = [];
		let width = 0;
		const rows = await readCsv(source, {
			maxBytes: MAX_IMPORT_BYTES,
			maxRows: MAX_IMPORT_ROWS,
			onHeader: (h) => {
				width = h.width;
				for (const x of headerProblems(kind, h.names)) problems.add({ row: 0, line: 1, ...x });
			},
			onRecord: (r) => {
				// With a wrong header every row would repeat its problem: the header alone is named.
				if (problems.rows.has(0)) return;
				if (r.width !== width) {
					problems.add({ row: r.row, line: r.line, field: '*', message: `expected ${width} fields as in the header, found ${r.width}` });
					return;
				}
				const { row, problems: found } = parseRow(kind, r.values);
				for (const x of found) problems.add({ row: r.row, line: r.line, ...x });
				if (row) parsed.push({ row: r.row, line: r.line, value: row });
			}
		});
		if (problems.rows.has(0)) return this.report(kind, opts.dryRun, rows, problems, [], parsed, 0);
		sameKeyProblems(kind, parsed, problems);
		const plan = await prepareImport(this.d, p, kind, parsed, problems);
		if (problems.count > 0 || opts.dryRun) return this.report(kind, opts.dryRun, rows, problems, plan.notes, parsed, 0);
		const written = await plan.write();
		if (problems.count > 0) return this.report(kind, false, rows, problems, plan.notes, parsed, 0);
		const sites = [...new Set(parsed.map((r) => (r.value as { site?: string | null }).site ?? null))];
		await this.d.repos.activity.record(this.d.sql, {
			actor: principalLabel(p),
			source: 'import',
			site: sites.length === 1 ? sites[0] : null,
			summary: `imported ${written} ${kind} row${written === 1 ? '' : 's'} from CSV`,
			detail: { kind, rows: written }
		});
		return this.report(kind, false, rows, problems, plan.notes, parsed, written);
	}

	private report(kind: ImportKind, dryRun: boolean, rows: number, problems: Problems, notes: string[], parsed: ParsedRow[], written: number): ImportReport {
		return {
			kind,
			dryRun,
			rows,
			ok: problems.count === 0,
			problemCount: problems.count,
			badRows: problems.rows.size,
			problems: problems.list.sort((a, b) => a.row - b.row),
			notes,
			preview: parsed.slice(0, PREVIEW_ROWS).map((r) => ({ ...(r.value as Record<string, string | number | null>) })),
			written
		};
	}
}

/**
 * Two rows of one file may not say different things about one thing: a repeated key is named on
 * the later row, and a SKU's own columns must repeat identically on each of its site rows.
 */
function sameKeyProblems(kind: ImportKind, parsed: ParsedRow[], problems: Problems): void {
	const seen = new Map<string, ParsedRow>();
	const skuSeen = new Map<string, ParsedRow>();
	for (const r of parsed) {
		const key = rowKey(kind, r.value as AnyImportRow);
		if (key !== null) {
			const first = seen.get(key);
			if (first) problems.add({ row: r.row, line: r.line, field: keyField(kind), message: `repeats row ${first.row}` });
			else seen.set(key, r);
		}
		if (kind === 'skus') {
			const v = r.value as Record<string, unknown>;
			const first = skuSeen.get(String(v.code));
			if (!first) skuSeen.set(String(v.code), r);
			else {
				const f = first.value as Record<string, unknown>;
				for (const field of SKU_FIELDS) {
					if (f[field] !== v[field]) problems.add({ row: r.row, line: r.line, field, message: `differs from row ${first.row} of the same SKU` });
				}
			}
		}
	}
}

function keyField(kind: ImportKind): string {
	return { sites: 'code', skus: 'site', stock: 'site', pos: 'po', commitments: 'id', lanes: 'to_site' }[kind];
}

export type { AnyImportRow };
