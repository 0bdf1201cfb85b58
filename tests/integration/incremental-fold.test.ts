// The recompute folds each SKU×site on from the checkpoint stored with its position. Whatever order
// events arrive in (late ones within and beyond the slack, same-millisecond ties, transfers between the
// pairs, redelivery), the stored ledger and checkpoint must equal the full fold of every stored event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldFromScratch, type FoldCheckpoint, type LedgerState } from '../../src/lib/core/ledger.ts';
import type { InventoryEvent } from '../../src/lib/contract/inventory-event.ts';
import { FOLD_SLACK_MS } from '../../server/services/recompute.service.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { pairKey } from '../../server/repositories/pair-key.ts';
import { random } from '../support/random.ts';

let node: TestNode;
beforeAll(async () => {
	node = await startTestNode('fold', { web: false, workers: false });
});
afterAll(async () => {
	await node?.stop();
});

const SITES = ['A', 'B'];
const base = Date.UTC(2026, 10, 2, 8, 0, 0);

function eventsFor(rnd: () => number, n: number, clock: { t: number }, ids: { n: number }): InventoryEvent[] {
	const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
	return Array.from({ length: n }, () => {
		// Mostly forward in time, sometimes late (minutes back), often on the same millisecond.
		const r = rnd();
		if (r < 0.55) clock.t += Math.floor(rnd() * 60_000);
		const t = r < 0.75 ? clock.t : clock.t - Math.floor(rnd() * 600_000);
		const site = pick(SITES);
		const head = { id: `f${ids.n++}`, sku: 'F', site, at: new Date(t).toISOString() };
		const eta = '2026-11-20';
		switch (pick(['receipt', 'shipment', 'adjustment', 'count', 'transfer', 'po', 'receipt'] as const)) {
			case 'receipt':
				return { ...head, type: 'receipt', qty: 1 + Math.floor(rnd() * 30), ...(rnd() < 0.3 ? { po: pick(['P1', 'P2']) } : {}) };
			case 'shipment':
				return { ...head, type: 'shipment', qty: 1 + Math.floor(rnd() * 30), ...(rnd() < 0.3 ? { commitment: 'C1' } : {}) };
			case 'adjustment':
				return { ...head, type: 'adjustment', qty: rnd() < 0.5 ? -(1 + Math.floor(rnd() * 10)) : 1 + Math.floor(rnd() * 10) };
			case 'count':
				return { ...head, type: 'count', qty: Math.floor(rnd() * 60) };
			case 'transfer':
				return { ...head, type: 'transfer', qty: 1 + Math.floor(rnd() * 15), toSite: site === 'A' ? 'B' : 'A', eta };
			default:
				return { ...head, type: 'po', qty: Math.floor(rnd() * 50), po: pick(['P1', 'P2']), eta };
		}
	});
}

async function stored(site: string): Promise<{ state: LedgerState; fold: FoldCheckpoint }> {
	const [row] = await node.services_.sql<{ state: LedgerState; fold: FoldCheckpoint }[]>`select state, fold from positions where sku = 'F' and site = ${site}`;
	return row;
}

describe('incremental fold from the stored checkpoint', () => {
	it('stores exactly the full fold after every batch, resuming where it can and refolding a late arrival', async () => {
		const seed = 12;
		const rnd = random(seed);
		const clock = { t: base };
		const ids = { n: 0 };
		const pairs = SITES.map((site) => ({ sku: 'F', site }));
		const folds = { resumed: 0, scratch: 0 };
		const posted: InventoryEvent[] = [];
		for (let round = 0; round < 30; round++) {
			const batch = eventsFor(rnd, 1 + Math.floor(rnd() * 6), clock, ids);
			posted.push(...batch);
			// Redelivery of an earlier batch's events changes nothing.
			const again = round > 0 && rnd() < 0.3 ? [posted[Math.floor(rnd() * (posted.length - batch.length))]] : [];
			await node.services.ingest.store([...batch, ...again]);
			const r = await node.services.recompute.recomputeMany(pairs);
			folds.resumed += r.folds.resumed;
			folds.scratch += r.folds.scratch;
			for (const site of SITES) {
				const all = (await node.services_.sql.begin((tx) => node.repos.events.forPositions(tx, [{ sku: 'F', site }]))).get(pairKey({ sku: 'F', site })) ?? [];
				// A site no event has reached yet has no position (and nothing to compare).
				if (all.length === 0) continue;
				const full = foldFromScratch(all, site, FOLD_SLACK_MS);
				const got = await stored(site);
				expect(got.state, `seed ${seed}, round ${round}, site ${site}`).toEqual(full.state);
				expect(got.fold, `seed ${seed}, round ${round}, site ${site}`).toEqual(full.checkpoint);
			}
		}
		// Both paths ran, so the equality above covers the resumed fold and not only the full one.
		expect(folds.resumed).toBeGreaterThan(5);
		expect(folds.scratch).toBeGreaterThan(2);
	});

	it('a job delivered twice writes the same position and checkpoint again', async () => {
		const pair = { sku: 'F', site: 'A' };
		await node.services_.sql`update position_dirty set dirty_gen = dirty_gen + 1, dirty_since = now() where sku = 'F' and site = 'A'`;
		await node.services.recompute.recompute(pair);
		const first = await stored('A');
		await node.services_.sql`update position_dirty set dirty_gen = dirty_gen + 1, dirty_since = now() where sku = 'F' and site = 'A'`;
		const r = await node.services.recompute.recompute(pair);
		expect(r.folds).toEqual({ resumed: 1, scratch: 0 });
		expect(await stored('A')).toEqual(first);
	});
});
