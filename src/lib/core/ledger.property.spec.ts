import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldFromScratch, foldLedger, foldOnto, resumeFrom, type FoldCheckpoint, type LedgerEvent } from './ledger.ts';
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

	// What the recompute does with the checkpoint it stored: resume when no arrival sorts before it,
	// else fold from scratch. Ids are unique (the store's primary key keeps the first copy).
	function resume(cp: FoldCheckpoint | null, stored: LedgerEvent[], arrived: LedgerEvent[], site: string) {
		const lateFrom = Math.min(...arrived.map((e) => Date.parse(e.at)));
		if (!cp || (cp.last && lateFrom < cp.last.ms)) return { how: 'scratch', r: foldFromScratch(stored, site) };
		const from = resumeFrom(cp);
		const window = from === null ? stored : stored.filter((e) => Date.parse(e.at) >= Date.parse(from));
		const r = foldOnto(JSON.parse(JSON.stringify(cp)) as FoldCheckpoint, window, site);
		return r ? { how: 'resumed', r } : { how: 'scratch', r: foldFromScratch(stored, site) };
	}

	it('folding on from a checkpoint equals the full fold, whatever the arrival order and batching', () => {
		const arrivals = fc.array(fc.array(eventArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });
		const hows = new Set<string>();
		fc.assert(
			fc.property(arrivals, fc.constantFrom('A', 'B'), (batches, site) => {
				const stored = new Map<string, LedgerEvent>();
				let cp: FoldCheckpoint | null = null;
				for (const batch of batches) {
					const arrived = batch.filter((e) => !stored.has(e.id) && stored.set(e.id, e));
					if (arrived.length === 0) continue;
					const all = [...stored.values()];
					const { how, r } = resume(cp, all, arrived, site);
					hows.add(how);
					const full = foldFromScratch(all, site);
					expect(r.state).toEqual(foldLedger(all, site));
					expect(r.checkpoint).toEqual(full.checkpoint);
					cp = r.checkpoint;
				}
			}),
			{ numRuns: 3000 }
		);
		// Both paths were exercised, so the equality above is not vacuous.
		expect([...hows].sort()).toEqual(['resumed', 'scratch']);
	});

	it('a resumed fold refuses an arrival that sorts before its cursor instead of folding it in late', () => {
		const a = { id: 'a', type: 'receipt' as const, sku: 'S', site: 'A', qty: 5, at: '2026-03-01T10:00:00.000Z' };
		const b = { id: 'b', type: 'count' as const, sku: 'S', site: 'A', qty: 1, at: '2026-03-01T10:00:00.000Z' };
		const cp = foldFromScratch([b], 'A').checkpoint!;
		// Same millisecond, but 'a' sorts before 'b': applying it after the count would be wrong.
		expect(foldOnto(cp, [a, b], 'A')).toBeNull();
		expect(foldFromScratch([a, b], 'A').state.onHand).toBe(1);
		// An event of an earlier millisecond is never in a window read from the cursor: refused too.
		expect(foldOnto(cp, [{ ...a, at: '2026-03-01T09:00:00.000Z' }, b], 'A')).toBeNull();
		const later = { ...a, id: 'c', at: '2026-03-01T11:00:00.000Z' };
		expect(foldOnto(cp, [b, later], 'A')?.state.onHand).toBe(6);
	});
});

