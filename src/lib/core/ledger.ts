// Folds the inventory events of one SKU×site into its position. The fold sorts and de-duplicates
// its input itself, so the result depends only on the SET of events: arrival order, redelivery and
// batching can never change a position (CONTRACT.md: events arrive out of order and twice).
import type { InventoryEventType, IsoDate } from '../contract/domain.ts';
import { isIsoDate } from './dates.ts';

/**
 * The fields of a contract InventoryEvent (CONTRACT.md "Inventory event"); an InventoryEvent is
 * assignable to it. Optional fields also accept null because that is how rows come out of SQL.
 */
export interface LedgerEvent {
	id: string;
	type: InventoryEventType;
	sku: string;
	site: string;
	qty: number;
	at: string;
	po?: string | null;
	eta?: IsoDate | null;
	toSite?: string | null;
	commitment?: string | null;
}

export interface InboundLine {
	/** PO line key, or the transfer event's id. */
	key: string;
	kind: 'po' | 'transfer';
	qty: number;
	eta: IsoDate | null;
	/** The ETA the line had before it started slipping; null when it has not slipped. */
	previousEta: IsoDate | null;
}

export interface LedgerState {
	onHand: number;
	backordered: number;
	/** When the oldest still-unfilled backorder started (the shipment's `at`). */
	backorderSince: string | null;
	/** Open lines only (qty > 0), ordered by ETA (undated last), then key. */
	inbound: InboundLine[];
	lastEventAt: string | null;
	/** Units shipped against each commitment id, so callers can net partial shipments. */
	shippedByCommitment: Record<string, number>;
}

interface Keyed {
	e: LedgerEvent;
	ms: number;
}

function stableKey(e: LedgerEvent): string {
	return JSON.stringify([e.type, e.sku, e.site, e.qty, e.po ?? null, e.eta ?? null, e.toSite ?? null, e.commitment ?? null]);
}

// Total order on events: time, then id, then content. The content tie-break only matters for two
// different payloads under one id; it makes the kept copy independent of arrival order.
function compareKeyed(a: Keyed, b: Keyed): number {
	const an = Number.isNaN(a.ms);
	const bn = Number.isNaN(b.ms);
	if (an !== bn) return an ? 1 : -1;
	if (!an && a.ms !== b.ms) return a.ms - b.ms;
	if (a.e.at !== b.e.at) return a.e.at < b.e.at ? -1 : 1;
	if (a.e.id !== b.e.id) return a.e.id < b.e.id ? -1 : 1;
	const ak = stableKey(a.e);
	const bk = stableKey(b.e);
	return ak < bk ? -1 : ak > bk ? 1 : 0;
}

/** Events sorted by (at, id) with duplicate ids removed (the earliest copy wins). */
export function orderEvents(events: readonly LedgerEvent[]): LedgerEvent[] {
	return orderKeyed(events).map((k) => k.e);
}

function orderKeyed(events: readonly LedgerEvent[]): Keyed[] {
	const keyed = events.map((e) => ({ e, ms: Date.parse(e.at) }));
	keyed.sort(compareKeyed);
	const seen = new Set<string>();
	const out: Keyed[] = [];
	for (const k of keyed) {
		if (seen.has(k.e.id)) continue;
		seen.add(k.e.id);
		out.push(k);
	}
	return out;
}

export interface BackorderChunk {
	qty: number;
	since: string;
}

class Fold {
	onHand = 0;
	backorders: BackorderChunk[] = [];
	poLines = new Map<string, InboundLine>();
	transferLines = new Map<string, InboundLine>();
	// Receipts that name a key before the transfer that creates it (clock skew between systems).
	receivedAgainst = new Map<string, number>();
	shipped = new Map<string, number>();
	lastEventAt: string | null = null;

	/** New units serve the oldest backorder first; only the rest lands on the shelf. */
	addStock(qty: number): void {
		let left = qty;
		while (left > 0 && this.backorders.length > 0) {
			const head = this.backorders[0];
			const used = Math.min(head.qty, left);
			head.qty -= used;
			left -= used;
			if (head.qty <= 0) this.backorders.shift();
		}
		this.onHand += left;
	}

	/** Removes stock, never below zero; returns the part that was not there. */
	takeStock(qty: number): number {
		const taken = Math.min(this.onHand, qty);
		this.onHand -= taken;
		return qty - taken;
	}

	fill(key: string, qty: number): void {
		const line = this.poLines.get(key) ?? this.transferLines.get(key);
		if (!line) {
			this.receivedAgainst.set(key, (this.receivedAgainst.get(key) ?? 0) + qty);
			return;
		}
		line.qty = Math.max(0, line.qty - qty);
		if (line.qty === 0) (line.kind === 'po' ? this.poLines : this.transferLines).delete(key);
	}

	upsertPo(e: LedgerEvent, key: string): void {
		const prev = this.poLines.get(key);
		if (e.qty <= 0) {
			this.poLines.delete(key);
			return;
		}
		// An update that omits the ETA keeps the known one: a quantity-only change must not erase the date.
		const eta = isIsoDate(e.eta) ? e.eta : (prev?.eta ?? null);
		let previousEta = prev?.previousEta ?? null;
		if (prev?.eta && eta && eta > prev.eta) previousEta = previousEta ?? prev.eta;
		else if (previousEta && eta && eta <= previousEta) previousEta = null;
		this.poLines.set(key, { key, kind: 'po', qty: e.qty, eta, previousEta });
	}

	apply(e: LedgerEvent, site: string): void {
		const here = e.site === site;
		switch (e.type) {
			case 'receipt':
				if (!here) return;
				this.addStock(e.qty);
				if (e.po) this.fill(e.po, e.qty);
				break;
			case 'shipment': {
				if (!here) return;
				const short = this.takeStock(e.qty);
				if (short > 0) this.backorders.push({ qty: short, since: e.at });
				if (e.commitment) this.shipped.set(e.commitment, (this.shipped.get(e.commitment) ?? 0) + e.qty);
				break;
			}
			case 'adjustment':
				if (!here) return;
				if (e.qty >= 0) this.addStock(e.qty);
				else this.takeStock(-e.qty);
				break;
			case 'count':
				if (!here) return;
				this.onHand = Math.max(0, e.qty);
				break;
			case 'transfer':
				if (here) this.takeStock(e.qty);
				else if (e.toSite === site) {
					const open = e.qty - (this.receivedAgainst.get(e.id) ?? 0);
					if (open > 0) {
						const eta = isIsoDate(e.eta) ? e.eta : null;
						this.transferLines.set(e.id, { key: e.id, kind: 'transfer', qty: open, eta, previousEta: null });
					}
				} else return;
				break;
			case 'po':
				if (!here) return;
				this.upsertPo(e, e.po ?? e.id);
				break;
			default:
				return;
		}
		this.lastEventAt = e.at;
	}

	/** Everything the fold needs to go on later, with maps as entry lists sorted by key (stable JSON). */
	save(): Omit<FoldCheckpoint, 'until' | 'maxMs'> {
		const byKey = <T>(m: Map<string, T>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return {
			onHand: this.onHand,
			backorders: this.backorders.map((b) => ({ ...b })),
			poLines: byKey(this.poLines).map(([, l]) => ({ ...l })),
			transferLines: byKey(this.transferLines).map(([, l]) => ({ ...l })),
			receivedAgainst: byKey(this.receivedAgainst),
			shipped: byKey(this.shipped),
			lastEventAt: this.lastEventAt
		};
	}

	static load(cp: FoldCheckpoint): Fold {
		const f = new Fold();
		f.onHand = cp.onHand;
		f.backorders = cp.backorders.map((b) => ({ ...b }));
		f.poLines = new Map(cp.poLines.map((l) => [l.key, { ...l }]));
		f.transferLines = new Map(cp.transferLines.map((l) => [l.key, { ...l }]));
		f.receivedAgainst = new Map(cp.receivedAgainst);
		f.shipped = new Map(cp.shipped);
		f.lastEventAt = cp.lastEventAt;
		return f;
	}

	state(): LedgerState {
		const inbound = [...this.poLines.values(), ...this.transferLines.values()]
			.filter((l) => l.qty > 0)
			.map((l) => ({ ...l }))
			.sort(compareInbound);
		return {
			onHand: this.onHand,
			backordered: this.backorders.reduce((s, b) => s + b.qty, 0),
			backorderSince: this.backorders[0]?.since ?? null,
			inbound,
			lastEventAt: this.lastEventAt,
			shippedByCommitment: Object.fromEntries([...this.shipped].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
		};
	}
}

function compareInbound(a: InboundLine, b: InboundLine): number {
	if (a.eta !== b.eta) {
		if (a.eta === null) return 1;
		if (b.eta === null) return -1;
		return a.eta < b.eta ? -1 : 1;
	}
	if (a.key !== b.key) return a.key < b.key ? -1 : 1;
	return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

/**
 * The position of one SKU at `site` after `events` (pass one SKU's events; those of other sites
 * are ignored except transfers arriving at `site`). Pure, order-insensitive and idempotent.
 */
export function foldLedger(events: readonly LedgerEvent[], site: string): LedgerState {
	const fold = new Fold();
	for (const e of orderEvents(events)) fold.apply(e, site);
	return fold.state();
}

/**
 * A fold that can go on: the fold's internal state over exactly the events whose time is before
 * `until` (epoch ms), where `until` trails the latest event time seen (`maxMs`) by the slack the fold
 * was asked for. Events at or after `until` are folded again on every resume, so one that arrives a
 * little late (within the slack) never forces a fold from scratch. Plain JSON, stored beside the
 * position; a pure function of the set of events, like the fold itself.
 */
export interface FoldCheckpoint {
	/** null: no event folded yet. */
	until: number | null;
	maxMs: number | null;
	onHand: number;
	backorders: BackorderChunk[];
	poLines: InboundLine[];
	transferLines: InboundLine[];
	receivedAgainst: [string, number][];
	shipped: [string, number][];
	lastEventAt: string | null;
}

export interface FoldResult<E extends LedgerEvent = LedgerEvent> {
	state: LedgerState;
	/** The events this fold took in, in fold order (all of them from scratch; the window when resumed). */
	applied: E[];
	/** null when the fold cannot be resumed (an event time that does not parse): fold in full next time. */
	checkpoint: FoldCheckpoint | null;
}

/** Folds ordered events onto `fold`, saving the checkpoint just before the first event at or after `until`. */
function run<E extends LedgerEvent>(fold: Fold, keyed: Keyed[], site: string, maxMs: number | null, slackMs: number): FoldResult<E> {
	const applied = keyed.map((k) => k.e as E);
	if (keyed.some((k) => Number.isNaN(k.ms))) {
		for (const k of keyed) fold.apply(k.e, site);
		return { state: fold.state(), applied, checkpoint: null };
	}
	const until = maxMs === null ? null : maxMs - slackMs;
	let saved: Omit<FoldCheckpoint, 'until' | 'maxMs'> | null = null;
	for (const k of keyed) {
		if (!saved && until !== null && k.ms >= until) saved = fold.save();
		fold.apply(k.e, site);
	}
	return { state: fold.state(), applied, checkpoint: { until, maxMs, ...(saved ?? fold.save()) } };
}

/** foldLedger that also returns the checkpoint to resume from, `slackMs` behind the latest event. */
export function foldFromScratch<E extends LedgerEvent>(events: readonly E[], site: string, slackMs = 0): FoldResult<E> {
	const keyed = orderKeyed(events);
	const maxMs = keyed.length ? keyed[keyed.length - 1].ms : null;
	return run(new Fold(), keyed, site, maxMs, slackMs);
}

/** The instant a resumed fold must read events from (inclusive); null: from the beginning. */
export function resumeFrom(cp: FoldCheckpoint): string | null {
	return cp.until === null ? null : new Date(cp.until).toISOString();
}

/**
 * Folds on from a checkpoint. `events` must be every stored event at or after resumeFrom(cp) (ids
 * are unique in the store). Returns null when one of them is older than that (the caller read the
 * wrong window): fold from scratch then. Otherwise the result equals foldFromScratch over the whole
 * history with the same slack — provided no event older than `until` was stored since the checkpoint
 * was written, which the caller checks (position_dirty.late_from).
 */
export function foldOnto<E extends LedgerEvent>(cp: FoldCheckpoint, events: readonly E[], site: string, slackMs = 0): FoldResult<E> | null {
	const keyed = orderKeyed(events);
	if (cp.until !== null && keyed.some((k) => !(k.ms >= cp.until!))) return null;
	const last = keyed.at(-1)?.ms;
	const maxMs = last === undefined ? cp.maxMs : cp.maxMs === null ? last : Math.max(cp.maxMs, last);
	// A checkpoint saved with a larger slack covers events the new one would not: start over.
	if (cp.until !== null && maxMs !== null && maxMs - slackMs < cp.until) return null;
	return run(Fold.load(cp), keyed, site, maxMs, slackMs);
}
