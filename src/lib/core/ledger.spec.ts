import { describe, expect, it } from 'vitest';
import { foldLedger, orderEvents, type LedgerEvent } from './ledger.ts';

let n = 0;
const at = (day: number, hour = 12) => `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
function ev(type: LedgerEvent['type'], qty: number, when: string, extra: Partial<LedgerEvent> = {}): LedgerEvent {
	return { id: `e${++n}`, type, sku: 'SKU-1', site: 'A', qty, at: when, ...extra };
}

describe('foldLedger: stock', () => {
	it('starts empty', () => {
		expect(foldLedger([], 'A')).toEqual({
			onHand: 0,
			backordered: 0,
			backorderSince: null,
			inbound: [],
			lastEventAt: null,
			shippedByCommitment: {}
		});
	});

	it('adds receipts, removes shipments and applies signed adjustments', () => {
		const s = foldLedger([ev('receipt', 50, at(1)), ev('shipment', 20, at(2)), ev('adjustment', -5, at(3)), ev('adjustment', 2, at(4))], 'A');
		expect(s.onHand).toBe(27);
		expect(s.lastEventAt).toBe(at(4));
	});

	it('a negative adjustment floors on hand at 0 without creating a backorder', () => {
		const s = foldLedger([ev('receipt', 3, at(1)), ev('adjustment', -10, at(2))], 'A');
		expect(s).toMatchObject({ onHand: 0, backordered: 0 });
	});

	it('a shipment beyond on hand floors at 0 and backorders the rest from its time', () => {
		const s = foldLedger([ev('receipt', 10, at(1)), ev('shipment', 25, at(2), { commitment: 'C1' })], 'A');
		expect(s).toMatchObject({ onHand: 0, backordered: 15, backorderSince: at(2), shippedByCommitment: { C1: 25 } });
	});

	it('new stock serves the oldest backorder first, and the age moves to the next one', () => {
		const events = [ev('shipment', 5, at(1)), ev('shipment', 7, at(3)), ev('receipt', 6, at(4))];
		expect(foldLedger(events, 'A')).toMatchObject({ onHand: 0, backordered: 6, backorderSince: at(3) });
		const more = foldLedger([...events, ev('adjustment', 10, at(5))], 'A');
		expect(more).toMatchObject({ onHand: 4, backordered: 0, backorderSince: null });
	});

	it('a count sets on hand at its time: later receipts still add, earlier ones no longer matter', () => {
		const receiptLater = ev('receipt', 10, at(5));
		const count = ev('count', 40, at(3));
		const receiptEarlier = ev('receipt', 99, at(2));
		expect(foldLedger([receiptLater, count, receiptEarlier], 'A').onHand).toBe(50);
		const countAfter = ev('count', 40, at(6));
		expect(foldLedger([receiptLater, countAfter, receiptEarlier], 'A').onHand).toBe(40);
	});

	it('a count leaves open PO lines and backorders alone', () => {
		const s = foldLedger(
			[ev('po', 30, at(1), { po: 'P1', eta: '2026-04-01' }), ev('shipment', 4, at(2)), ev('count', 12, at(3))],
			'A'
		);
		expect(s.onHand).toBe(12);
		expect(s.backordered).toBe(4);
		expect(s.inbound).toEqual([{ key: 'P1', kind: 'po', qty: 30, eta: '2026-04-01', previousEta: null }]);
	});
});

describe('foldLedger: PO lines', () => {
	it('keeps a PO line without ETA as an undated inbound line', () => {
		expect(foldLedger([ev('po', 20, at(1), { po: 'P1' })], 'A').inbound).toEqual([
			{ key: 'P1', kind: 'po', qty: 20, eta: null, previousEta: null }
		]);
	});

	it('a receipt against a line reduces its open qty, floored at 0 (then the line is gone)', () => {
		const po = ev('po', 20, at(1), { po: 'P1', eta: '2026-03-20' });
		const partial = foldLedger([po, ev('receipt', 8, at(2), { po: 'P1' })], 'A');
		expect(partial.inbound[0].qty).toBe(12);
		expect(partial.onHand).toBe(8);
		const over = foldLedger([po, ev('receipt', 25, at(2), { po: 'P1' })], 'A');
		expect(over.inbound).toEqual([]);
		expect(over.onHand).toBe(25);
	});

	it('records a slip against the original ETA and clears it when the ETA comes back', () => {
		const create = ev('po', 20, at(1), { po: 'P1', eta: '2026-03-20' });
		const slip1 = ev('po', 20, at(2), { po: 'P1', eta: '2026-03-25' });
		const slip2 = ev('po', 20, at(3), { po: 'P1', eta: '2026-03-28' });
		expect(foldLedger([create, slip1, slip2], 'A').inbound[0]).toMatchObject({ eta: '2026-03-28', previousEta: '2026-03-20' });
		const pullIn = ev('po', 20, at(4), { po: 'P1', eta: '2026-03-22' });
		expect(foldLedger([create, slip1, pullIn], 'A').inbound[0]).toMatchObject({ eta: '2026-03-22', previousEta: '2026-03-20' });
		const back = ev('po', 20, at(4), { po: 'P1', eta: '2026-03-19' });
		expect(foldLedger([create, slip1, back], 'A').inbound[0]).toMatchObject({ eta: '2026-03-19', previousEta: null });
	});

	it('an update without ETA keeps the known ETA; qty 0 closes the line', () => {
		const create = ev('po', 20, at(1), { po: 'P1', eta: '2026-03-20' });
		expect(foldLedger([create, ev('po', 15, at(2), { po: 'P1' })], 'A').inbound[0]).toMatchObject({ qty: 15, eta: '2026-03-20' });
		expect(foldLedger([create, ev('po', 0, at(2), { po: 'P1' })], 'A').inbound).toEqual([]);
	});

	it('orders inbound lines by ETA, undated last', () => {
		const s = foldLedger(
			[ev('po', 1, at(1), { po: 'Z' }), ev('po', 1, at(1), { po: 'B', eta: '2026-03-30' }), ev('po', 1, at(1), { po: 'A', eta: '2026-03-12' })],
			'A'
		);
		expect(s.inbound.map((l) => l.key)).toEqual(['A', 'B', 'Z']);
	});
});

describe('foldLedger: transfers', () => {
	const transfer = (): LedgerEvent => ev('transfer', 12, at(2), { toSite: 'B', eta: '2026-03-15' });

	it('takes stock at the source and opens an inbound line at the destination', () => {
		const t = transfer();
		const events = [ev('receipt', 30, at(1)), t];
		expect(foldLedger(events, 'A')).toMatchObject({ onHand: 18, inbound: [] });
		expect(foldLedger(events, 'B')).toMatchObject({
			onHand: 0,
			inbound: [{ key: t.id, kind: 'transfer', qty: 12, eta: '2026-03-15', previousEta: null }]
		});
	});

	it('a receipt naming the transfer fills it at the destination', () => {
		const t = transfer();
		const s = foldLedger([t, ev('receipt', 12, at(4), { site: 'B', po: t.id })], 'B');
		expect(s).toMatchObject({ onHand: 12, inbound: [] });
	});

	it('a receipt stamped before its transfer (clock skew) still fills it', () => {
		const t = transfer();
		const s = foldLedger([ev('receipt', 5, at(1), { site: 'B', po: t.id }), t], 'B');
		expect(s.inbound[0].qty).toBe(7);
	});

	it('ignores events of other sites', () => {
		expect(foldLedger([ev('receipt', 9, at(1), { site: 'C' })], 'A')).toMatchObject({ onHand: 0, lastEventAt: null });
	});
});

describe('foldLedger: idempotency and order', () => {
	it('counts a duplicated event id once', () => {
		const r = ev('receipt', 10, at(1));
		expect(foldLedger([r, r, { ...r }], 'A').onHand).toBe(10);
	});

	it('keeps the earliest copy of a reused id whatever the arrival order', () => {
		const first = ev('receipt', 10, at(1));
		const clash = { ...first, qty: 99, at: at(2) };
		expect(foldLedger([clash, first], 'A').onHand).toBe(10);
		expect(foldLedger([first, clash], 'A').onHand).toBe(10);
	});

	it('gives the same state for out-of-order arrival', () => {
		const events = [ev('receipt', 10, at(1)), ev('shipment', 15, at(2)), ev('count', 3, at(3)), ev('receipt', 4, at(4))];
		expect(foldLedger([...events].reverse(), 'A')).toEqual(foldLedger(events, 'A'));
		expect(foldLedger(events, 'A')).toMatchObject({ onHand: 3, backordered: 1 });
	});

	it('orders by instant, not by the text of the timestamp', () => {
		const a = ev('receipt', 1, '2026-03-01T10:00:00+02:00'); // 08:00Z
		const b = ev('receipt', 1, '2026-03-01T09:00:00Z');
		expect(orderEvents([b, a]).map((e) => e.id)).toEqual([a.id, b.id]);
	});
});
