import {
	inventoryEventSchema,
	MAX_EVENTS_PER_REQUEST,
	type EventValidationError,
	type IngestResult,
	type InventoryEvent
} from '../../src/lib/contract/inventory-event.ts';
import type { Sql } from '../db/database.ts';
import type { RecomputeProducer } from './jobs.port.ts';
import type { Logger } from '../logger.ts';
import type { CatalogRepository } from '../repositories/catalog.repository.ts';
import type { EventsRepository, InsertedEvent } from '../repositories/events.repository.ts';
import { pairKey, uniquePairs, type PairKey } from '../repositories/pair-key.ts';
import type { PositionsRepository } from '../repositories/positions.repository.ts';
import { tracePath, tracing } from '../metrics/path-trace.ts';
import { BadRequestError, PayloadTooLargeError } from './errors.ts';

export interface IngestDeps {
	sql: Sql;
	events: EventsRepository;
	catalog: CatalogRepository;
	positions: PositionsRepository;
	queue: RecomputeProducer;
	log: Logger;
}

export type EventsBodyFormat = 'json' | 'ndjson';

export class IngestService {
	constructor(private readonly d: IngestDeps) {}

	/** Parses the raw body into candidate events without trusting any of it yet. */
	parse(body: string, format: EventsBodyFormat): unknown[] {
		if (format === 'ndjson') {
			const items: unknown[] = [];
			const errors: EventValidationError[] = [];
			const lines = body.split('\n');
			for (const [i, raw] of lines.entries()) {
				const line = raw.trim();
				if (!line) continue;
				try {
					items.push(JSON.parse(line));
				} catch {
					errors.push({ index: items.length + errors.length, path: '', message: `line ${i + 1}: not valid JSON` });
				}
			}
			if (errors.length) throw new BadRequestError('malformed NDJSON', errors);
			return this.capped(items);
		}
		let parsed: unknown;
		try {
			parsed = JSON.parse(body);
		} catch {
			throw new BadRequestError('malformed JSON');
		}
		return this.capped(Array.isArray(parsed) ? parsed : [parsed]);
	}

	validate(items: unknown[]): InventoryEvent[] {
		if (items.length === 0) throw new BadRequestError('no events in the request');
		const events: InventoryEvent[] = [];
		const errors: EventValidationError[] = [];
		items.forEach((item, index) => {
			const r = inventoryEventSchema.safeParse(item);
			if (r.success) events.push(r.data);
			else for (const issue of r.error.issues) errors.push({ index, path: issue.path.join('.'), message: issue.message });
		});
		if (errors.length) throw new BadRequestError('invalid events; nothing was stored', errors.slice(0, 1000));
		return events;
	}

	/** Stores a validated batch atomically, then asks the workers to recompute what it touched. */
	/** `actor` names who posted the batch (a user's e-mail, a token's name) for the activity feed. */
	async store(events: InventoryEvent[], actor: string | null = null): Promise<IngestResult> {
		const touched = await this.d.sql.begin(async (tx) => {
			const inserted = await this.d.events.insertNew(tx, events, actor);
			const pairs = touchedPairs(inserted);
			await this.d.catalog.registerUnknown(
				tx,
				unique(inserted.map((e) => e.sku)),
				unique(inserted.flatMap((e) => (e.toSite ? [e.site, e.toSite] : [e.site])))
			);
			await this.d.positions.markDirty(tx, earliestPerPair(inserted));
			return { count: inserted.length, pairs };
		});
		if (tracing()) tracePath('commit', touched.pairs.map((p) => p.sku));
		try {
			await this.d.queue.enqueue(touched.pairs);
			if (tracing()) tracePath('enqueued', touched.pairs.map((p) => p.sku));
		} catch (err) {
			// The rows are durable and marked dirty; the reconciliation sweep recomputes them.
			this.d.log.warn({ err, pairs: touched.pairs.length }, 'enqueue failed; left to the sweep');
		}
		return { accepted: touched.count, duplicates: events.length - touched.count };
	}

	async ingest(body: string, format: EventsBodyFormat, actor: string | null = null): Promise<IngestResult> {
		return this.store(this.validate(this.parse(body, format)), actor);
	}

	private capped(items: unknown[]): unknown[] {
		if (items.length > MAX_EVENTS_PER_REQUEST) {
			throw new PayloadTooLargeError(`at most ${MAX_EVENTS_PER_REQUEST} events per request (got ${items.length})`);
		}
		return items;
	}
}

function unique(values: string[]): string[] {
	return [...new Set(values)].sort();
}

export function touchedPairs(inserted: { sku: string; site: string; toSite: string | null }[]): PairKey[] {
	return uniquePairs(inserted.flatMap((e) => (e.toSite ? [e.site, e.toSite] : [e.site]).map((site) => ({ sku: e.sku, site }))));
}

/** The earliest event time per touched pair: a recompute resuming a fold checks it against its cursor. */
export function earliestPerPair(inserted: InsertedEvent[]): (PairKey & { from: Date })[] {
	const from = new Map<string, PairKey & { from: Date }>();
	for (const e of inserted) {
		for (const site of e.toSite ? [e.site, e.toSite] : [e.site]) {
			const k = pairKey({ sku: e.sku, site });
			const seen = from.get(k);
			if (!seen || e.at < seen.from) from.set(k, { sku: e.sku, site, from: e.at });
		}
	}
	return [...from.values()];
}
