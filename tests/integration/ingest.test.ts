import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postEvents, startTestNode, type TestNode } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';

let node: TestNode;
beforeAll(async () => {
	node = await startTestNode('ingest');
});
afterAll(async () => {
	await node?.stop();
});

const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 8, minute)).toISOString();

async function onHand(sku: string, site: string): Promise<number | undefined> {
	const [row] = await node.services_.sql<{ onHand: number; dirtySince: Date | null }[]>`
		select p.on_hand, d.dirty_since from positions p join position_dirty d using (sku, site)
		where p.sku = ${sku} and p.site = ${site}`;
	return row && row.dirtySince === null ? row.onHand : undefined;
}

describe('POST /api/events', () => {
	it('stores nothing from a batch with one invalid event and names its index and field', async () => {
		const res = await postEvents(node, [
			{ id: 'bad-1', type: 'receipt', sku: 'A', site: 'S1', qty: 5, at: at(0) },
			{ id: 'bad-2', type: 'shipment', sku: 'A', site: 'S1', qty: -3, at: at(1) },
			{ id: 'bad-3', type: 'receipt', sku: 'A', site: 'S1', qty: 1, at: 'yesterday' }
		]);
		expect(res.status).toBe(400);
		const body = await res.json();
		expect(body.errors).toEqual([
			{ index: 1, path: 'qty', message: 'must be > 0 for shipment' },
			{ index: 2, path: 'at', message: expect.stringContaining('ISO-8601') }
		]);
		const [{ n }] = await node.services_.sql<{ n: number }[]>`select count(*)::int as n from inventory_events`;
		expect(n).toBe(0);
	});

	it('changes the position once when the same batch is posted twice', async () => {
		const batch = [
			{ id: 'dup-1', type: 'receipt', sku: 'DUP', site: 'S1', qty: 10, at: at(0) },
			{ id: 'dup-2', type: 'shipment', sku: 'DUP', site: 'S1', qty: 3, at: at(1) }
		];
		const first = await postEvents(node, batch);
		expect(first.status).toBe(202);
		expect(await first.json()).toEqual({ accepted: 2, duplicates: 0 });
		const second = await postEvents(node, batch);
		expect(await second.json()).toEqual({ accepted: 0, duplicates: 2 });
		expect(await waitForValue(() => onHand('DUP', 'S1'))).toBe(7);
	});

	it('applies out-of-order events in event-time order', async () => {
		// A count at 08:05 says 50; a receipt at 08:10 adds 5. Posted backwards, the answer is still 55.
		await postEvents(node, { id: 'ooo-2', type: 'receipt', sku: 'OOO', site: 'S1', qty: 5, at: at(10) });
		await waitForValue(() => onHand('OOO', 'S1'));
		await postEvents(node, { id: 'ooo-1', type: 'count', sku: 'OOO', site: 'S1', qty: 50, at: at(5) });
		await waitForValue(async () => (await onHand('OOO', 'S1')) === 55);
		// A receipt dated before the count is superseded by the count.
		await postEvents(node, { id: 'ooo-0', type: 'receipt', sku: 'OOO', site: 'S1', qty: 99, at: at(1) });
		await waitForValue(async () => {
			const [row] = await node.services_.sql`select clean_gen, dirty_gen from position_dirty where sku = 'OOO'`;
			return row.cleanGen === row.dirtyGen;
		});
		expect(await onHand('OOO', 'S1')).toBe(55);
	});

	it('accepts NDJSON and registers unknown SKUs and sites as provisional', async () => {
		const ndjson = [
			{ id: 'nd-1', type: 'receipt', sku: 'NEW-SKU', site: 'NEW-SITE', qty: 4, at: at(0) },
			{ id: 'nd-2', type: 'transfer', sku: 'NEW-SKU', site: 'NEW-SITE', toSite: 'OTHER', qty: 1, eta: '2026-11-05', at: at(1) }
		]
			.map((e) => JSON.stringify(e))
			.join('\n');
		const res = await postEvents(node, null, { raw: ndjson, contentType: 'application/x-ndjson' });
		expect(res.status).toBe(202);
		expect(await waitForValue(() => onHand('NEW-SKU', 'NEW-SITE'))).toBe(3);
		const sites = await node.services_.sql`select code, provisional from sites order by code`;
		expect(sites.filter((s) => s.code === 'NEW-SITE' || s.code === 'OTHER').every((s) => s.provisional)).toBe(true);
		const [sku] = await node.services_.sql`select provisional, lead_time_days from skus where code = 'NEW-SKU'`;
		expect(sku).toEqual({ provisional: true, leadTimeDays: null });
	});

	it('answers malformed bodies, wrong types, missing auth and oversize batches with clear errors', async () => {
		const malformed = await postEvents(node, null, { raw: '[{"id": ' });
		expect(malformed.status).toBe(400);
		expect((await malformed.json()).error).toMatch(/malformed JSON/);
		const badLine = await postEvents(node, null, { raw: '{"id":"x"}\nnot json', contentType: 'application/x-ndjson' });
		expect(badLine.status).toBe(400);
		expect((await badLine.json()).errors[0]).toMatchObject({ index: 1, message: expect.stringContaining('line 2') });
		const noAuth = await fetch(`${node.url}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
		expect(noAuth.status).toBe(401);
		const wrongToken = await postEvents(node, [], { token: 'nope' });
		expect(wrongToken.status).toBe(401);
		const text = await postEvents(node, null, { raw: 'x', contentType: 'text/plain' });
		expect(text.status).toBe(415);
		const many = Array.from({ length: 10_001 }, (_, i) => ({ id: `m${i}`, type: 'receipt', sku: 'M', site: 'S', qty: 1, at: at(0) }));
		expect((await postEvents(node, many)).status).toBe(413);
		const huge = await postEvents(node, null, { raw: `[${' '.repeat(10 * 1024 * 1024)}]` });
		expect(huge.status).toBe(413);
		const [{ n }] = await node.services_.sql<{ n: number }[]>`select count(*)::int as n from inventory_events where sku = 'M'`;
		expect(n).toBe(0);
	});

	it('reports readiness of both backing services', async () => {
		expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
		const ready = await fetch(`${node.url}/readyz`);
		expect(ready.status).toBe(200);
		expect(await ready.json()).toEqual({ status: 'ready' });
	});
});

describe('order independence', () => {
	it('gives the same position whether a history is posted in order or backwards', async () => {
		const history = (sku: string) => [
			{ id: `${sku}-1`, type: 'receipt', sku, site: 'S1', qty: 30, at: at(1) },
			{ id: `${sku}-2`, type: 'shipment', sku, site: 'S1', qty: 12, at: at(2) },
			{ id: `${sku}-3`, type: 'count', sku, site: 'S1', qty: 25, at: at(3) },
			{ id: `${sku}-4`, type: 'adjustment', sku, site: 'S1', qty: -4, at: at(4) },
			{ id: `${sku}-5`, type: 'receipt', sku, site: 'S1', qty: 9, at: at(5) }
		];
		for (const e of history('INORDER')) await postEvents(node, e);
		for (const e of history('BACKWARDS').reverse()) await postEvents(node, e);
		const inOrder = await waitForValue(() => onHand('INORDER', 'S1'));
		await waitForValue(async () => (await onHand('BACKWARDS', 'S1')) !== undefined && (await node.services_.sql`select 1 from position_dirty where sku = 'BACKWARDS' and dirty_since is null`).length === 1);
		expect(inOrder).toBe(30);
		expect(await onHand('BACKWARDS', 'S1')).toBe(inOrder);
	});
});
