import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/core/dates.ts';
import { api, userCookie } from '../support/api.ts';
import { postEvents, startTestNode, type TestNode } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';

let node: TestNode;
let ops: string;
const today = new Date().toISOString().slice(0, 10);
const D = (n: number) => addDays(today, n);
const at = (n: number) => `${D(n)}T06:00:00Z`;

interface AlertRow {
	id: string;
	kind: string;
	severity: string;
	status: string;
	commitmentId: string | null;
	acknowledgedBy: string | null;
}

/** Waits until every pair is recomputed (nothing dirty), then returns. */
async function settled(): Promise<void> {
	await waitForValue(async () => {
		const [{ n }] = await node.services_.sql<{ n: number }[]>`select count(*)::int as n from position_dirty where dirty_since is not null`;
		return n === 0;
	});
}

async function commitment(id: string) {
	const { body } = await api<{ risk: string; shortQty: number; earliestDate: string | null }[]>(node, ops, 'GET', `/api/commitments?sku=K`);
	return body.find((c) => (c as unknown as { id: string }).id === id)!;
}

async function liveAlerts(): Promise<AlertRow[]> {
	const open = await api<AlertRow[]>(node, ops, 'GET', '/api/alerts?status=open');
	const acked = await api<AlertRow[]>(node, ops, 'GET', '/api/alerts?status=acknowledged');
	return [...open.body, ...acked.body];
}

beforeAll(async () => {
	node = await startTestNode('engine', { env: { SWEEP_AFTER_SECONDS: '1', SWEEP_EVERY_MS: '300' } });
	ops = await userCookie(node, 'ops@engine.local', 'ops');
	await node.services_.sql`insert into sites (code, name, time_zone) values ('S', 'Site S', 'UTC')`;
	await node.services_.sql`insert into skus (code, name, lead_time_days) values ('K', 'Widget', 10)`;
	await node.services_.sql`insert into sku_sites (sku, site, safety_stock, reorder_point) values ('K', 'S', 10, 50)`;
});
afterAll(async () => {
	await node?.stop();
});

describe('a scripted history, checked against numbers worked out by hand', () => {
	it('A: receipt, open PO and two confirmed commitments', async () => {
		await postEvents(node, [
			{ id: 'a1', type: 'receipt', sku: 'K', site: 'S', qty: 100, at: at(-2) },
			{ id: 'a2', type: 'po', sku: 'K', site: 'S', qty: 50, po: 'PO-1', eta: D(5), at: at(-2) }
		]);
		for (const [id, qty, date] of [['C1', 80, D(3)], ['C2', 60, D(7)]] as const) {
			const res = await api(node, ops, 'POST', '/api/commitments', {
				id, customer: 'Acme', sku: 'K', qty, requestedDate: date, promisedDate: date, site: 'S', status: 'confirmed'
			});
			expect(res.status).toBe(201);
		}
		await settled();
		// P: today 100, D3 20, D5 70, D7 10. ATP today = min(P) − SS = 10 − 10 = 0.
		const { body: av } = await api<Record<string, unknown>>(node, ops, 'GET', '/api/availability?sku=K&site=S');
		expect(av).toMatchObject({ onHand: 100, allocated: 140, inbound: 50, backordered: 0, safetyStock: 10, available: 0 });
		expect(av.projected).toEqual([
			{ date: today, balance: 100 },
			{ date: D(3), balance: 20 },
			{ date: D(5), balance: 70 },
			{ date: D(7), balance: 10 },
			{ date: D(10), balance: 10 }
		]);
		// C1 is covered by stock on hand with safety stock intact; C2 only thanks to PO-1, not yet arrived.
		expect(await commitment('C1')).toMatchObject({ risk: 'ok', shortQty: 0 });
		expect(await commitment('C2')).toMatchObject({ risk: 'at_risk', shortQty: 0 });
		expect(await liveAlerts()).toEqual([]);
	});

	it('B: the PO slips past C2 — C2 is short by 40 until D9, alerts open', async () => {
		await postEvents(node, { id: 'b1', type: 'po', sku: 'K', site: 'S', qty: 50, po: 'PO-1', eta: D(9), at: at(-1) });
		await settled();
		// P: today 100, D3 20, D7 −40, D9 10. C1 still comes first and is covered.
		expect(await commitment('C1')).toMatchObject({ risk: 'ok' });
		expect(await commitment('C2')).toMatchObject({ risk: 'short', shortQty: 40, earliestDate: D(9) });
		const alerts = await liveAlerts();
		expect(alerts.map((a) => [a.kind, a.severity, a.commitmentId]).sort()).toEqual([
			['commitment_short', 'critical', 'C2'],
			// The slipped line names the commitment it now fails.
			['late_inbound', 'high', 'C2'],
			['stockout_projected', 'high', null]
		]);
	});

	it('an alert is acknowledged with who did it, and cannot be acknowledged twice', async () => {
		const short = (await liveAlerts()).find((a) => a.kind === 'commitment_short')!;
		const ack = await api<AlertRow>(node, ops, 'POST', `/api/alerts/${short.id}/ack`);
		expect(ack.status).toBe(200);
		expect(ack.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ops@engine.local' });
		expect((await api(node, ops, 'POST', `/api/alerts/${short.id}/ack`)).status).toBe(409);
		expect((await api(node, ops, 'POST', `/api/alerts/not-a-uuid/ack`)).status).toBe(404);
	});

	it('C: a shipment against C1, then D: a count restores stock and the alerts resolve themselves', async () => {
		await postEvents(node, [
			{ id: 'c1', type: 'shipment', sku: 'K', site: 'S', qty: 30, commitment: 'C1', at: at(0) },
			// Counted after the shipment: 200 on hand. A receipt dated before the count changes nothing.
			{ id: 'd1', type: 'count', sku: 'K', site: 'S', qty: 200, at: `${today}T07:00:00Z` },
			{ id: 'd0', type: 'receipt', sku: 'K', site: 'S', qty: 999, at: `${today}T06:30:00Z` }
		]);
		await settled();
		// C1 open qty 80 − 30 = 50. P: today 200, D3 150, D7 90, D9 140. ATP today = 90 − 10 = 80.
		const { body: av } = await api<Record<string, unknown>>(node, ops, 'GET', '/api/availability?sku=K&site=S');
		expect(av).toMatchObject({ onHand: 200, allocated: 110, inbound: 50, available: 80 });
		expect(await commitment('C2')).toMatchObject({ risk: 'ok', shortQty: 0 });
		const live = await liveAlerts();
		expect(live.map((a) => [a.kind, a.severity])).toEqual([['late_inbound', 'medium']]);
		const resolved = await api<AlertRow[]>(node, ops, 'GET', '/api/alerts?status=resolved');
		expect(resolved.body.map((a) => a.kind).sort()).toEqual(['commitment_short', 'stockout_projected']);
		const check = await api(node, ops, 'POST', '/api/promise-check', { sku: 'K', qty: 50, date: D(3), site: 'S' });
		expect(check.body).toMatchObject({ feasible: true, site: 'S', shortQty: 0 });
		const tooMuch = await api(node, ops, 'POST', '/api/promise-check', { sku: 'K', qty: 120, date: D(3) });
		expect(tooMuch.body).toMatchObject({ feasible: false, site: 'S', shortQty: 40, options: [{ site: 'S', feasible: false }] });
	});
});

describe('Postgres is the truth, Redis only carries work', () => {
	it('ends with correct positions after Redis is flushed mid-stream', async () => {
		const expected = new Map<string, number>();
		for (let batch = 0; batch < 10; batch++) {
			const events = Array.from({ length: 50 }, (_, i) => {
				const sku = `F${i % 25}`;
				expected.set(sku, (expected.get(sku) ?? 0) + batch + 1);
				return { id: `f-${batch}-${i}`, type: 'receipt', sku, site: 'S', qty: batch + 1, at: at(0) };
			});
			expect((await postEvents(node, events)).status).toBe(202);
			if (batch === 4) {
				// FLUSHDB, limited to this test's prefix: queued jobs vanish with their keys.
				const { deleteRedisPrefix } = await import('../support/services.ts');
				await deleteRedisPrefix(node.config.redisUrl, node.config.redisPrefix);
			}
		}
		await settled();
		const rows = await node.services_.sql<{ sku: string; onHand: number }[]>`select sku, on_hand from positions where sku like 'F%'`;
		expect(Object.fromEntries(rows.map((r) => [r.sku, r.onHand]))).toEqual(Object.fromEntries(expected));
	});

	it('rejects bad commitment bodies and field-ownership violations without writing', async () => {
		const sales = await userCookie(node, 'sales@engine.local', 'sales');
		const bad = await api<{ errors: { path: string }[] }>(node, sales, 'POST', '/api/commitments', { customer: '', sku: 'K', qty: -1, requestedDate: 'soon' });
		expect(bad.status).toBe(400);
		expect(bad.body.errors.map((e) => e.path).sort()).toEqual(['customer', 'qty', 'requestedDate']);
		const owned = await api<{ errors: { path: string }[] }>(node, sales, 'POST', '/api/commitments', {
			id: 'S1', customer: 'Beta', sku: 'K', qty: 5, requestedDate: D(4), promisedDate: D(4)
		});
		expect(owned.status).toBe(403);
		expect(owned.body.errors).toEqual([expect.objectContaining({ path: 'promisedDate' })]);
		const patch = await api(node, sales, 'PATCH', '/api/commitments/C2', { status: 'cancelled' });
		expect(patch.status).toBe(403);
		const [c2] = await node.services_.sql`select status from commitments where id = 'C2'`;
		expect(c2.status).toBe('confirmed');
		const [{ n }] = await node.services_.sql<{ n: number }[]>`select count(*)::int as n from commitments where id = 'S1'`;
		expect(n).toBe(0);
	});
});
