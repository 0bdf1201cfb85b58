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

	// What the recompute does with the checkpoint it stored: resume when nothing older than its `until`
	// arrived, else fold from scratch. Ids are unique (the store's primary key keeps the first copy).
	function resume(cp: FoldCheckpoint | null, stored: LedgerEvent[], arrived: LedgerEvent[], site: string, slack: number) {
		const lateFrom = Math.min(...arrived.map((e) => Date.parse(e.at)));
		if (!cp || (cp.until !== null && lateFrom < cp.until)) return { how: 'scratch', r: foldFromScratch(stored, site, slack) };
		const from = resumeFrom(cp);
		const window = from === null ? stored : stored.filter((e) => Date.parse(e.at) >= Date.parse(from));
		const r = foldOnto(JSON.parse(JSON.stringify(cp)) as FoldCheckpoint, window, site, slack);
		return r ? { how: 'resumed', r } : { how: 'scratch', r: foldFromScratch(stored, site, slack) };
	}

	it('folding on from a checkpoint equals the full fold, whatever the arrival order, batching and slack', () => {
		const arrivals = fc.array(fc.array(eventArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });
		const hows = new Set<string>();
		fc.assert(
			fc.property(arrivals, fc.constantFrom('A', 'B'), fc.constantFrom(0, 60_000, 600_000), (batches, site, slack) => {
				const stored = new Map<string, LedgerEvent>();
				let cp: FoldCheckpoint | null = null;
				for (const batch of batches) {
					const arrived = batch.filter((e) => !stored.has(e.id) && stored.set(e.id, e));
					if (arrived.length === 0) continue;
					const all = [...stored.values()];
					const { how, r } = resume(cp, all, arrived, site, slack);
					hows.add(how);
					const full = foldFromScratch(all, site, slack);
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

	it('a checkpoint covers exactly the events before its until; a window reaching further back is refused', () => {
		const e = (id: string, minute: number, qty: number) => ({ id, type: 'receipt' as const, sku: 'S', site: 'A', qty, at: new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString() });
		const { checkpoint } = foldFromScratch([e('a', 0, 1), e('b', 5, 2), e('c', 10, 4)], 'A', 5 * 60_000);
		// until = 10:10 − 5 min = 10:05: a is in, b (at 10:05) and c are folded again on resume.
		expect(checkpoint).toMatchObject({ until: Date.UTC(2026, 2, 1, 10, 5), onHand: 1 });
		expect(foldOnto(checkpoint!, [e('b', 5, 2), e('c', 10, 4), e('d', 7, 8)], 'A', 5 * 60_000)?.state.onHand).toBe(15);
		expect(foldOnto(checkpoint!, [e('z', 4, 8), e('b', 5, 2), e('c', 10, 4)], 'A', 5 * 60_000)).toBeNull();
		// A larger slack than the checkpoint was saved with would need events it already folded in.
		expect(foldOnto(checkpoint!, [e('b', 5, 2), e('c', 10, 4)], 'A', 10 * 60_000)).toBeNull();
	});
});
