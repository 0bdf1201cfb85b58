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
	save(): Omit<FoldCheckpoint, 'last' | 'ties'> {
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

/** Where a fold stands: the sort key of the last event it took in. */
export interface FoldCursor {
	ms: number;
	at: string;
	id: string;
	/** The content tie-break of compareKeyed. */
	key: string;
}

/**
 * A fold that can go on: its internal state plus the cursor it covers. It covers every event that
 * sorts at or before `last`; `ties` names the events folded at `last.ms`, because a read that
 * resumes from that millisecond sees them again. Plain JSON, so it is stored beside the position.
 */
export interface FoldCheckpoint {
	last: FoldCursor | null;
	ties: string[];
	onHand: number;
	backorders: BackorderChunk[];
	poLines: InboundLine[];
	transferLines: InboundLine[];
	receivedAgainst: [string, number][];
	shipped: [string, number][];
	lastEventAt: string | null;
}

export interface FoldResult {
	state: LedgerState;
	/** null when the fold cannot be resumed (an event time that does not parse): fold in full next time. */
	checkpoint: FoldCheckpoint | null;
}

const cursorOf = (k: Keyed): FoldCursor => ({ ms: k.ms, at: k.e.at, id: k.e.id, key: stableKey(k.e) });

/** compareKeyed of an event against a cursor (both have a parsed time). */
function compareToCursor(k: Keyed, c: FoldCursor): number {
	if (k.ms !== c.ms) return k.ms - c.ms;
	if (k.e.at !== c.at) return k.e.at < c.at ? -1 : 1;
	if (k.e.id !== c.id) return k.e.id < c.id ? -1 : 1;
	const key = stableKey(k.e);
	return key < c.key ? -1 : key > c.key ? 1 : 0;
}

function finish(fold: Fold, folded: Keyed[], prev: FoldCheckpoint | null): FoldResult {
	const state = fold.state();
	const lastNew = folded.at(-1);
	if (!lastNew) return { state, checkpoint: prev ? { ...prev, ...fold.save() } : { last: null, ties: [], ...fold.save() } };
	if (Number.isNaN(lastNew.ms)) return { state, checkpoint: null };
	const carried = prev?.last && prev.last.ms === lastNew.ms ? prev.ties : [];
	const ties = [...carried, ...folded.filter((k) => k.ms === lastNew.ms).map((k) => k.e.id)].sort();
	return { state, checkpoint: { last: cursorOf(lastNew), ties, ...fold.save() } };
}

/** foldLedger that also returns the checkpoint to resume from. */
export function foldFromScratch(events: readonly LedgerEvent[], site: string): FoldResult {
	const fold = new Fold();
	const keyed = orderKeyed(events);
	for (const k of keyed) fold.apply(k.e, site);
	return finish(fold, keyed, null);
}

/** The instant a resumed fold must read events from (inclusive); null: from the beginning. */
export function resumeFrom(cp: FoldCheckpoint): string | null {
	return cp.last ? new Date(cp.last.ms).toISOString() : null;
}

/**
 * Folds `events` onto a checkpoint. `events` must hold every stored event at or after
 * resumeFrom(cp) (ids are unique in the store); the ones the checkpoint already covers are
 * skipped. Returns null when one of them sorts before the checkpoint's cursor without having been
 * folded (it arrived late): the caller must fold from scratch. Whenever it returns a result, that
 * result equals foldFromScratch over the same history.
 */
export function foldOnto(cp: FoldCheckpoint, events: readonly LedgerEvent[], site: string): FoldResult | null {
	const last = cp.last;
	const ties = new Set(cp.ties);
	const fresh: Keyed[] = [];
	for (const k of orderKeyed(events)) {
		if (Number.isNaN(k.ms)) return null;
		if (last && k.ms < last.ms) return null;
		if (last && k.ms === last.ms && ties.has(k.e.id)) continue;
		if (last && compareToCursor(k, last) < 0) return null;
		fresh.push(k);
	}
	const fold = Fold.load(cp);
	for (const k of fresh) fold.apply(k.e, site);
	return finish(fold, fresh, cp);
}
