import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldLedger } from './ledger.ts';
import { eventArb } from './testing/arbitraries.ts';

const history = fc.array(eventArb, { maxLength: 25 });

describe('ledger fold', () => {
	it('is invariant under permutation of its input', () => {
		fc.assert(
			fc.property(history, fc.func(fc.integer()), fc.constantFrom('A', 'B'), (events, key, site) => {
				const shuffled = events.map((e, i) => ({ e, k: key(i) })).sort((a, b) => a.k - b.k).map((x) => x.e);
				expect(foldLedger(shuffled, site)).toEqual(foldLedger(events, site));
			}),
			{ numRuns: 2000 }
		);
	});

	it('is invariant under duplication (redelivery, in any order)', () => {
		fc.assert(
			fc.property(history, fc.array(fc.nat(), { maxLength: 10 }), fc.constantFrom('A', 'B'), (events, picks, site) => {
				fc.pre(events.length > 0);
				const again = picks.map((i) => ({ ...events[i % events.length] }));
				expect(foldLedger([...again, ...events, ...again], site)).toEqual(foldLedger(events, site));
			}),
			{ numRuns: 2000 }
		);
	});

	it('never reports negative stock, backorder or inbound, and backorder has an age iff it exists', () => {
		fc.assert(
			fc.property(history, fc.constantFrom('A', 'B'), (events, site) => {
				const s = foldLedger(events, site);
				expect(s.onHand).toBeGreaterThanOrEqual(0);
				expect(s.backordered).toBeGreaterThanOrEqual(0);
				expect(s.backorderSince !== null).toBe(s.backordered > 0);
				for (const l of s.inbound) expect(l.qty).toBeGreaterThan(0);
				expect(new Set(s.inbound.map((l) => l.key)).size).toBe(s.inbound.length);
			}),
			{ numRuns: 2000 }
		);
	});

	it('stock moves obey conservation when only receipts and shipments are involved', () => {
		const moves = fc.array(
			fc.record({ ship: fc.boolean(), qty: fc.integer({ min: 1, max: 20 }), t: fc.integer({ min: 0, max: 1000 }) }),
			{ maxLength: 30 }
		);
		fc.assert(
			fc.property(moves, (ms) => {
				const events = ms.map((m, i) => ({
					id: `m${i}`,
					type: m.ship ? ('shipment' as const) : ('receipt' as const),
					sku: 'S',
					site: 'A',
					qty: m.qty,
					at: new Date(Date.UTC(2026, 0, 1) + m.t * 60_000).toISOString()
				}));
				const s = foldLedger(events, 'A');
				const net = ms.reduce((sum, m) => sum + (m.ship ? -m.qty : m.qty), 0);
				expect(s.onHand - s.backordered).toBe(net);
				expect(s.onHand === 0 || s.backordered === 0).toBe(true);
			}),
			{ numRuns: 2000 }
		);
	});
});
