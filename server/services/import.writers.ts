// What each kind of CSV import checks against the database and how it writes. Stock counts and PO
// lines become inventory events (IngestService.store), so the engine recomputes them like any feed;
// commitments go through CommitmentsService and its field-ownership rules; the catalog is upserted.
import { createHash, randomUUID } from 'node:crypto';
import type { ImportKind, ImportProblem } from '../../src/lib/contract/import.ts';
import { inventoryEventSchema, type InventoryEvent } from '../../src/lib/contract/inventory-event.ts';
import { canSeeSite, principalLabel, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Sql, TxSql } from '../db/database.ts';
import type { RecomputeProducer } from './jobs.port.ts';
import type { Logger } from '../logger.ts';
import type { PairKey } from '../repositories/pair-key.ts';
import type { CommitmentsService } from './commitments.service.ts';
import type { ImportRow } from './import.rows.ts';
import type { IngestService } from './ingest.service.ts';
import type { LifecycleService } from './lifecycle.service.ts';
import type { Repositories } from '../repositories/repositories.ts';

export interface ImportWriterDeps {
	sql: Sql;
	repos: Pick<Repositories, 'imports' | 'positions' | 'activity' | 'lanes'>;
	ingest: IngestService;
	commitments: CommitmentsService;
	lifecycle: LifecycleService;
	queue: RecomputeProducer;
	log: Logger;
}

export interface ParsedRow {
	row: number;
	line: number;
	value: unknown;
}

export interface ImportPlan {
	notes: string[];
	/** Writes everything; returns the rows written. Adds problems instead when a late check fails. */
	write(): Promise<number>;
}

type Sink = { add(p: ImportProblem): void };
type Rows<K extends ImportKind> = { row: number; line: number; value: ImportRow<K> }[];

export async function prepareImport(d: ImportWriterDeps, p: Principal, kind: ImportKind, parsed: ParsedRow[], problems: Sink): Promise<ImportPlan> {
	switch (kind) {
		case 'sites':
			return sites(d, parsed as Rows<'sites'>);
		case 'skus':
			return skus(d, p, parsed as Rows<'skus'>, problems);
		case 'stock':
		case 'pos':
			return events(d, p, kind, parsed as Rows<'stock' | 'pos'>, problems);
		case 'commitments':
			return commitments(d, p, parsed as Rows<'commitments'>, problems);
		case 'lanes':
			return lanes(d, parsed as Rows<'lanes'>, problems);
	}
}

/** Lanes join two known sites; they move no stock, so nothing is recomputed (options read them live). */
async function lanes(d: ImportWriterDeps, rows: Rows<'lanes'>, problems: Sink): Promise<ImportPlan> {
	const known = await d.repos.imports.existingSites([...new Set(rows.flatMap((r) => [r.value.from_site, r.value.to_site]))]);
	for (const r of rows)
		for (const field of ['from_site', 'to_site'] as const)
			if (!known.has(r.value[field])) problems.add({ row: r.row, line: r.line, field, message: `no site ${r.value[field]}; import sites first` });
	return {
		notes: [plural(rows.length, 'lane')],
		write: async () => {
			await d.sql.begin((tx) => d.repos.lanes.upsert(tx, rows.map((r) => ({ fromSite: r.value.from_site, toSite: r.value.to_site, transitDays: r.value.transit_days }))));
			return rows.length;
		}
	};
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

async function sites(d: ImportWriterDeps, rows: Rows<'sites'>): Promise<ImportPlan> {
	const existing = await d.repos.imports.existingSites(rows.map((r) => r.value.code));
	const moved = rows.filter((r) => existing.has(r.value.code) && existing.get(r.value.code) !== r.value.time_zone).map((r) => r.value.code);
	return {
		notes: [`${plural(rows.length - existing.size, 'new site')}, ${plural(existing.size, 'site')} updated`, ...(moved.length ? [`time zone changes at ${moved.join(', ')}: their dates are recomputed`] : [])],
		write: () =>
			recomputing(d, async (tx) => {
				await d.repos.imports.upsertSites(tx, rows.map((r) => ({ code: r.value.code, name: r.value.name, timeZone: r.value.time_zone })));
				return { written: rows.length, pairs: await d.repos.imports.pairsOf(tx, { sites: moved }) };
			})
	};
}

async function skus(d: ImportWriterDeps, p: Principal, rows: Rows<'skus'>, problems: Sink): Promise<ImportPlan> {
	const siteCodes = [...new Set(rows.flatMap((r) => (r.value.site ? [r.value.site] : [])))];
	const known = await d.repos.imports.existingSites(siteCodes);
	for (const r of rows) {
		if (r.value.site && !known.has(r.value.site)) problems.add({ row: r.row, line: r.line, field: 'site', message: `no site ${r.value.site}; import sites first` });
	}
	const bySku = new Map(rows.map((r) => [r.value.code, r.value]));
	const existing = await d.repos.imports.existingSkus([...bySku.keys()]);
	const staged = [...bySku.values()].filter((k) => existing.has(k.code) && existing.get(k.code)!.lifecycle !== k.lifecycle);
	const actor = principalLabel(p);
	return {
		notes: [
			`${plural(bySku.size - existing.size, 'new SKU')}, ${plural(existing.size, 'SKU')} updated, ${plural(rows.filter((r) => r.value.site).length, 'site parameter row')}`,
			...(staged.length ? [`${plural(staged.length, 'lifecycle change')}, recorded with the reason "CSV import"`] : [])
		],
		write: () =>
			recomputing(d, async (tx) => {
				await d.repos.imports.upsertSkus(tx, [...bySku.values()].map((k) => ({ code: k.code, name: k.name, unit: k.unit, lifecycle: k.lifecycle, leadTimeDays: k.lead_time_days })));
				await d.repos.imports.upsertSkuSites(
					tx,
					rows.flatMap(({ value: r }) => (r.site ? [{ sku: r.code, site: r.site, safetyStock: r.safety_stock ?? 0, reorderPoint: r.reorder_point }] : []))
				);
				for (const k of staged) await d.lifecycle.apply(tx, k.code, existing.get(k.code)!.lifecycle, k.lifecycle, 'CSV import', actor);
				// Lead times, safety stocks and reorder points all move the engine's answers.
				return { written: rows.length, pairs: await d.repos.imports.pairsOf(tx, { skus: [...bySku.keys()] }) };
			})
	};
}

/** Content-derived ids: the same file imported twice is a duplicate, not a second count or line. */
function eventId(kind: string, parts: unknown[]): string {
	return `csv-${kind}-${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27)}`;
}

async function events(d: ImportWriterDeps, p: Principal, kind: 'stock' | 'pos', rows: Rows<'stock' | 'pos'>, problems: Sink): Promise<ImportPlan> {
	const at = new Date().toISOString();
	const list: InventoryEvent[] = [];
	for (const { row, line, value } of rows) {
		if (!canSeeSite(p, value.site)) problems.add({ row, line, field: 'site', message: `you do not follow site ${value.site}` });
		const e =
			'po' in value
				? { type: 'po' as const, sku: value.sku, site: value.site, qty: value.qty, po: value.po, at: value.at ?? at, ...(value.eta ? { eta: value.eta } : {}) }
				: { type: 'count' as const, sku: value.sku, site: value.site, qty: value.qty, at: (value as ImportRow<'stock'>).counted_at ?? at };
		const r = inventoryEventSchema.safeParse({ id: eventId(kind, [e.type, e.sku, e.site, e.qty, e.at, 'po' in e ? e.po : null, 'eta' in e ? e.eta : null]), ...e });
		if (r.success) list.push(r.data);
		else for (const i of r.error.issues) problems.add({ row, line, field: String(i.path[0] ?? '*'), message: i.message });
	}
	return {
		notes: await unknownCodes(d, list),
		write: async () => {
			await d.ingest.store(list, principalLabel(p));
			return rows.length;
		}
	};
}

async function commitments(d: ImportWriterDeps, p: Principal, rows: Rows<'commitments'>, problems: Sink): Promise<ImportPlan> {
	const list = rows.map(({ value: v }) => ({
		id: v.id ?? `c-${randomUUID()}`,
		board: v.board,
		customer: v.customer,
		sku: v.sku,
		qty: v.qty,
		requestedDate: v.requested_date,
		promisedDate: v.promised_date,
		site: v.site,
		status: v.status,
		owner: v.owner,
		priority: v.priority,
		notes: v.notes
	}));
	const report = (found: { index: number; field: string; message: string }[]) => {
		for (const x of found) problems.add({ row: rows[x.index].row, line: rows[x.index].line, field: x.field, message: x.message });
	};
	report(await d.commitments.importMany(p, list, true));
	const generated = rows.filter((r) => r.value.id === null).length;
	return {
		notes: [...(generated ? [`${plural(generated, 'row')} without an id: new commitments get one`] : []), ...(await unknownCodes(d, list))],
		write: async () => {
			const found = await d.commitments.importMany(p, list, false);
			report(found);
			return found.length ? 0 : list.length;
		}
	};
}

/** Codes the catalog does not know: registered on the fly (CONTRACT.md), which the reader should know. */
async function unknownCodes(d: ImportWriterDeps, rows: { sku: string; site: string | null }[]): Promise<string[]> {
	const skus = [...new Set(rows.map((r) => r.sku))];
	const sites = [...new Set(rows.flatMap((r) => (r.site ? [r.site] : [])))];
	const [knownSkus, knownSites] = await Promise.all([d.repos.imports.existingSkus(skus), d.repos.imports.existingSites(sites)]);
	const newSkus = skus.filter((s) => !knownSkus.has(s));
	const newSites = sites.filter((s) => !knownSites.has(s));
	const names = (xs: string[]) => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ` and ${xs.length - 5} more` : ''}`;
	return [
		...(newSkus.length ? [`${plural(newSkus.length, 'SKU')} not in the catalog, registered provisionally: ${names(newSkus)}`] : []),
		...(newSites.length ? [`${plural(newSites.length, 'site')} not in the catalog, registered provisionally: ${names(newSites)}`] : [])
	];
}

/** One transaction that also marks what it moved dirty; the recompute is queued after the commit. */
async function recomputing(d: ImportWriterDeps, work: (tx: TxSql) => Promise<{ written: number; pairs: PairKey[] }>): Promise<number> {
	const { written, pairs } = await d.sql.begin(async (tx) => {
		const r = await work(tx);
		await d.repos.positions.markDirty(tx, r.pairs);
		return r;
	});
	try {
		await d.queue.enqueue(pairs);
	} catch (err) {
		d.log.warn({ err, pairs: pairs.length }, 'enqueue after an import failed; left to the sweep');
	}
	return written;
}
