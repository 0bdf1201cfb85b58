import { foldLedger } from '../../src/lib/core/ledger.ts';
import type { PositionMessage } from '../../src/lib/contract/socket-events.ts';
import type { Sql } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { EventsRepository } from '../repositories/events.repository.ts';
import type { OutboxRepository } from '../repositories/outbox.repository.ts';
import type { PairKey, PositionNumbers, PositionsRepository } from '../repositories/positions.repository.ts';

export interface RecomputeDeps {
	sql: Sql;
	events: EventsRepository;
	positions: PositionsRepository;
	outbox: OutboxRepository;
	log: Logger;
}

export interface RecomputeResult {
	passes: number;
	changed: boolean;
}

// A pair that keeps being dirtied under us is left dirty for the next job or the sweep.
const MAX_PASSES = 5;

/**
 * Rebuilds one SKU×site from its events. Folding the whole ledger makes the result independent of
 * arrival order and of how often a job is delivered, which is what at-least-once delivery needs.
 */
export class RecomputeService {
	constructor(private readonly d: RecomputeDeps) {}

	async recompute(key: PairKey): Promise<RecomputeResult> {
		let changed = false;
		for (let pass = 1; pass <= MAX_PASSES; pass++) {
			const { clean, changed: c } = await this.d.sql.begin(async (tx) => {
				await this.d.positions.lockPair(tx, key);
				const current = await this.d.positions.dirtyGen(tx, key);
				if (!current) return { clean: true, changed: false };
				const events = await this.d.events.forPosition(tx, key.sku, key.site);
				const ledger = foldLedger(events.map(toLedgerEvent), key.site);
				const inbound = ledger.inbound.reduce((sum, line) => sum + line.qty, 0);
				const allocated = current.numbers.allocated;
				const next: PositionNumbers = {
					onHand: ledger.onHand,
					allocated,
					inbound,
					backordered: ledger.backordered,
					available: ledger.onHand - allocated
				};
				const differs = !sameNumbers(current.numbers, next);
				await this.d.positions.write(tx, key, next, ledger);
				if (differs) {
					const msg: Omit<PositionMessage, 'seq'> = {
						sku: key.sku,
						site: key.site,
						onHand: next.onHand,
						allocated: next.allocated,
						inbound: next.inbound,
						available: next.available
					};
					await this.d.outbox.append(tx, [{ topic: 'position', site: key.site, payload: { ...msg } }]);
				}
				return { clean: await this.d.positions.markClean(tx, key, current.dirtyGen), changed: differs };
			});
			changed ||= c;
			if (clean) return { passes: pass, changed };
		}
		this.d.log.warn({ key }, 'pair still dirty after max passes; left for the sweep');
		return { passes: MAX_PASSES, changed };
	}
}

function sameNumbers(a: PositionNumbers, b: PositionNumbers): boolean {
	return (
		a.onHand === b.onHand &&
		a.allocated === b.allocated &&
		a.inbound === b.inbound &&
		a.backordered === b.backordered &&
		a.available === b.available
	);
}

function toLedgerEvent(e: Awaited<ReturnType<EventsRepository['forPosition']>>[number]) {
	return {
		id: e.id,
		type: e.type,
		sku: e.sku,
		site: e.site,
		qty: e.qty,
		at: e.at,
		po: e.po ?? undefined,
		eta: e.eta ?? undefined,
		toSite: e.toSite ?? undefined,
		commitment: e.commitment ?? undefined
	};
}
