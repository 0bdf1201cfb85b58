// A promise check answers from a profile kept between requests. After any change (events, a new or
// re-dated commitment, a recompute, a catalog parameter written behind the service's back) it must
// answer exactly what a fresh read and fold of the same rows answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/core/dates.ts';
import type { LedgerState } from '../../src/lib/core/ledger.ts';
import { promiseOptions } from '../../src/lib/core/promise.ts';
import type { InventoryEvent } from '../../src/lib/contract/inventory-event.ts';
import { availabilityInput, EMPTY_LEDGER } from '../../server/services/availability.input.ts';
import { api, userCookie } from '../support/api.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { random } from '../support/random.ts';

let node: TestNode;
let sales: string;
let ops: string;
const today = new Date().toISOString().slice(0, 10);
const principal = { kind: 'user', userId: 'u', sessionId: 's', email: 'o@x', name: 'o', role: 'ops', sites: null } as const;

beforeAll(async () => {
	// No workers: the test decides when a recompute runs, so nothing moves between the two answers.
	node = await startTestNode('promisecache', { workers: false });
	sales = await userCookie(node, 'sales@x.test', 'sales');
	ops = await userCookie(node, 'ops@x.test', 'ops');
	await node.services_.sql`insert into sites (code, name) values ('S1', 'S1'), ('S2', 'S2')`;
	await node.services_.sql`insert into skus (code, name, lead_time_days) values ('K', 'K', 12)`;
	await node.services_.sql`insert into sku_sites (sku, site, safety_stock) values ('K', 'S1', 5), ('K', 'S2', 0)`;
});
afterAll(async () => {
	await node?.stop();
});

/** What the check answered before it kept profiles: every input read afresh in one snapshot. */
async function fresh(site: string) {
	return node.services_.sql.begin('isolation level repeatable read read only', async (tx) => {
		const repos = node.repos;
		const state = (await repos.positions.ledgerState(tx, { sku: 'K', site })) as LedgerState | null;
		const params = await repos.catalog.skuSiteParams('K', site, tx);
		const commitments = await repos.commitments.openForPair(tx, 'K', site);
		return { site, input: availabilityInput(params, state ?? EMPTY_LEDGER, commitments, new Date()) };
	});
}

describe('promise check from kept profiles', () => {
	it('answers exactly what a fresh computation answers after random changes', async () => {
		const seed = 5;
		const rnd = random(seed);
		const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
		let ids = 0;
		for (let round = 0; round < 40; round++) {
			const site = rnd() < 0.5 ? 'S1' : 'S2';
			const action = rnd();
			if (action < 0.35) {
				const events: InventoryEvent[] = Array.from({ length: int(1, 4) }, () => {
					const kind = rnd();
					const head = { id: `e${ids++}`, sku: 'K', site, at: new Date(Date.now() - int(0, 86_400_000)).toISOString() };
					if (kind < 0.4) return { ...head, type: 'receipt', qty: int(1, 40) };
					if (kind < 0.6) return { ...head, type: 'shipment', qty: int(1, 20) };
					return { ...head, type: 'po', qty: int(0, 60), po: `P${int(1, 3)}`, eta: addDays(today, int(-2, 15)) };
				});
				await node.services.ingest.store(events);
			} else if (action < 0.6) {
				const id = `c${ids++}`;
				const created = await api(node, sales, 'POST', '/api/commitments', { id, customer: 'Acme', sku: 'K', qty: int(1, 30), requestedDate: addDays(today, int(0, 20)) });
				expect(created.status).toBe(201);
				if (rnd() < 0.8) {
					const patch = { site, status: 'confirmed', promisedDate: addDays(today, int(0, 20)) };
					expect((await api(node, ops, 'PATCH', `/api/commitments/${id}`, patch)).status).toBe(200);
				}
			} else if (action < 0.85) {
				await node.services.recompute.recomputeMany([{ sku: 'K', site: 'S1' }, { sku: 'K', site: 'S2' }]);
			} else {
				// Behind the service's back: no dirty mark, yet the kept profile must not be used.
				await node.services_.sql`update sku_sites set safety_stock = ${int(0, 30)} where sku = 'K' and site = ${site}`;
			}

			const known = await node.repos.positions.sitesFor('K', null);
			for (let q = 0; q < 3; q++) {
				const req = { qty: int(1, 80), date: addDays(today, int(-1, 20)) };
				const one = await node.services.availability.promiseCheck(principal, { sku: 'K', site, ...req });
				const [expected] = promiseOptions([await fresh(site)], req);
				expect(one, `seed ${seed}, round ${round}`).toEqual({
					feasible: expected.feasible, site, earliestDate: expected.earliestDate, shortQty: expected.shortQty, needsPo: expected.needsPo,
					options: [{ site, earliestDate: expected.earliestDate, feasible: expected.feasible, shortQty: expected.shortQty, needsPo: expected.needsPo }]
				});
				const all = await node.services.availability.promiseCheck(principal, { sku: 'K', ...req });
				const options = promiseOptions(await Promise.all(known.map(fresh)), req);
				expect(all.options, `seed ${seed}, round ${round}`).toEqual(options.map(({ site, earliestDate, feasible, shortQty, needsPo }) => ({ site, earliestDate, feasible, shortQty, needsPo })));
			}
		}
		// Kept profiles were used (not rebuilt every time), so the equality above covers them.
		expect(node.services.availability.profiles.hits).toBeGreaterThan(50);
		expect(node.services.availability.profiles.misses).toBeGreaterThan(10);
	});
});
