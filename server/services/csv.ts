// CSV in and out. Reading streams through csv-parse, so a large upload is parsed as it arrives and
// never held as one string; writing is a few lines, since quoting is all a CSV writer has to do.
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { BadRequestError, PayloadTooLargeError } from './errors.ts';

export interface CsvRecord {
	/** 1-based data row (the header is row 0). */
	row: number;
	/** File line the record ends on. */
	line: number;
	/** Values by lower-cased header name. */
	values: Record<string, string>;
	/** Field count, to report a row that does not match the header. */
	width: number;
}

export interface CsvHeader {
	names: string[];
	width: number;
}

/**
 * Reads a CSV stream: the first record is the header; `onRecord` gets every other one. Throws a
 * 400 naming the line for broken quoting, 413 past `maxBytes` or `maxRows`.
 */
export async function readCsv(
	source: Readable | string,
	opts: { maxBytes: number; maxRows: number; onHeader: (h: CsvHeader) => void; onRecord: (r: CsvRecord) => void }
): Promise<number> {
	const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true, max_record_size: 1 << 20 });
	let bytes = 0;
	let header: string[] | null = null;
	let rows = 0;
	const feed = async () => {
		if (typeof source === 'string') {
			if (Buffer.byteLength(source) > opts.maxBytes) throw new PayloadTooLargeError(`at most ${opts.maxBytes} bytes per import`);
			parser.end(source);
			return;
		}
		for await (const chunk of source) {
			bytes += (chunk as Buffer).length;
			if (bytes > opts.maxBytes) throw new PayloadTooLargeError(`at most ${opts.maxBytes} bytes per import`);
			// A parser that failed or was abandoned closes instead of draining: stop feeding it then.
			if (!parser.write(chunk)) await new Promise((r) => (parser.once('drain', r), parser.once('close', r)));
			if (parser.destroyed) return;
		}
		parser.end();
	};
	const feeding = feed().catch((err) => parser.destroy(err));
	try {
		for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
			const { record, info } = item;
			if (header === null) {
				header = record.map((h) => h.trim().toLowerCase());
				opts.onHeader({ names: header, width: header.length });
				continue;
			}
			if (++rows > opts.maxRows) throw new PayloadTooLargeError(`at most ${opts.maxRows} rows per import`);
			const values: Record<string, string> = {};
			header.forEach((name, i) => (values[name] = unguard(record[i] ?? '')));
			opts.onRecord({ row: rows, line: info.lines, values, width: record.length });
		}
	} catch (err) {
		parser.destroy();
		if (err instanceof CsvError) {
			const line = (err as unknown as { lines?: number }).lines;
			throw new BadRequestError(`the file is not valid CSV${line ? ` (line ${line})` : ''}: ${err.message}`);
		}
		throw err;
	} finally {
		await feeding;
	}
	if (header === null) throw new BadRequestError('the file is empty: expected a header row');
	return rows;
}

// Spreadsheets run a cell that starts with one of these as a formula; the export prefixes such text
// with a quote (OWASP "CSV injection") and the import takes that quote off again, so data round-trips.
const FORMULA_START = /^[=+\-@\t\r]/;
const GUARDED = /^'[=+\-@\t\r]/;

function unguard(v: string): string {
	return GUARDED.test(v) ? v.slice(1) : v;
}

function cell(v: string | number | boolean | null | undefined): string {
	if (v === null || v === undefined) return '';
	if (typeof v !== 'string') return String(v);
	const text = FORMULA_START.test(v) ? `'${v}` : v;
	return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (CRLF-terminated, RFC 4180). Numbers are written as they are; text is guarded. */
export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
	return values.map(cell).join(',') + '\r\n';
}
