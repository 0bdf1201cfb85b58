import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/core/dates.ts';
import { api, userCookie } from '../support/api.ts';
import { postEvents, startTestNode, type TestNode } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';

let node: TestNode;
let ops: string;
let sales: string;
let viewer: string;
const today = new Date().toISOString().slice(0, 10);
const D = (n: number) => addDays(today, n);

interface Alert {
	id: string;
	kind: string;
	severity: string;
	status: string;
	sku: string;
	site: string | null;
	message: string;
}
interface Availability {
	projected: { date: string; balance: number }[];
	forecast?: { date: string; qty: number }[];
	forecastProjected?: { date: string; balance: number }[];
}

async function settled(): Promise<void> {
	await waitForValue(async () => {
		const [{ n }] = await node.services_.sql<{ n: number }[]>`select count(*)::int as n from position_dirty where dirty_since is not null`;
		return n === 0;
	});
}

async function liveAlerts(kind: string): Promise<Alert[]> {
	const { body } = await api<Alert[]>(node, ops, 'GET', `/api/alerts?status=open&kind=${kind}`);
	return body;
}

beforeAll(async () => {
	node = await startTestNode('signals');
	[ops, sales, viewer] = await Promise.all([
		userCookie(node, 'ops@signals.local', 'ops'),
		userCookie(node, 'sales@signals.local', 'sales'),
		userCookie(node, 'viewer@signals.local', 'viewer')
	]);
	const sql = node.services_.sql;
	await sql`insert into sites (code, name, time_zone) values ('S', 'Site S', 'UTC'), ('T', 'Site T', 'UTC')`;
	await sql`insert into skus (code, name, lead_time_days) values ('K', 'Widget', 14)`;
	await sql`insert into sku_sites (sku, site, safety_stock, reorder_point) values ('K', 'S', 20, null)`;
	const res = await postEvents(node, [
		{ id: 'k1', type: 'count', sku: 'K', site: 'S', qty: 100, at: `${D(-1)}T08:00:00Z` },
		{ id: 'k2', type: 'po', sku: 'K', site: 'T', qty: 40, po: 'PO-9', eta: D(-2), at: `${D(-5)}T08:00:00Z` }
	]);
	expect(res.status).toBe(202);
	await settled();
});
afterAll(async () => {
	await node?.stop();
});

describe('demand signals', () => {
	let signalId = '';

	it('a signal lowers the forecast projection, not the firm one, and raises forecast_below_safety_stock', async () => {
		const before = await api<Availability>(node, ops, 'GET', '/api/availability?sku=K&site=S&forecast=1');
		expect(before.body.forecastProjected).toEqual(before.body.projected);
		expect(await liveAlerts('forecast_below_safety_stock')).toEqual([]);

		const created = await api<{ id: string }>(node, sales, 'POST', '/api/signals', {
			sku: 'K', site: 'S', kind: 'volume', customer: 'Acme', qty: 30, per: 'week', startDate: today, note: 'new contract'
		});
		expect(created.status).toBe(201);
		signalId = created.body.id;

		// 100 on hand, 30 a week from today: 70 today, 40 on D7, 10 on D14 (the fence): below 20.
		const [alert] = await waitForValue(async () => {
			const a = await liveAlerts('forecast_below_safety_stock');
			return a.length ? a : null;
		});
		expect(alert).toMatchObject({ severity: 'medium', sku: 'K', site: 'S' });
		expect(alert.message).toBe(`K @ S: forecast demand (Acme ~30/week from ${today}) would take the projection to 10 on ${D(14)}, below safety stock 20`);

		const after = await api<Availability>(node, ops, 'GET', '/api/availability?sku=K&site=S&forecast=1');
		expect(after.body.projected).toEqual(before.body.projected);
		expect(after.body.forecastProjected!.slice(0, 3)).toEqual([
			{ date: today, balance: 70 },
			{ date: D(7), balance: 40 },
			{ date: D(14), balance: 10 }
		]);
		const firm = await api<Availability>(node, ops, 'GET', '/api/availability?sku=K&site=S');
		expect(firm.body.forecast).toBeUndefined();
	});

	it('shows on the SKU view and in the signal list; a viewer may read but not write', async () => {
		const { body } = await api<{ signals: { id: string }[]; sites: { site: string; forecastProjected: unknown[] }[] }>(node, viewer, 'GET', '/api/skus/K');
		expect(body.signals.map((s) => s.id)).toEqual([signalId]);
		const list = await api<{ id: string }[]>(node, viewer, 'GET', '/api/signals?sku=K');
		expect(list.body.map((s) => s.id)).toEqual([signalId]);
		const refused = await api(node, viewer, 'POST', '/api/signals', { sku: 'K', site: 'S', kind: 'fading', startDate: today });
		expect(refused.status).toBe(403);
	});

	it('names every bad field of a signal', async () => {
		const res = await api<{ errors: { path: string }[] }>(node, sales, 'POST', '/api/signals', { sku: 'K', site: 'S', kind: 'promotion', startDate: today });
		expect(res.status).toBe(400);
		expect(res.body.errors.map((e) => e.path).sort()).toEqual(['endDate', 'qty']);
	});

	it('withdrawing the signal clears the alert', async () => {
		const res = await api(node, sales, 'POST', `/api/signals/${signalId}/withdraw`);
		expect(res.status).toBe(200);
		await waitForValue(async () => (await liveAlerts('forecast_below_safety_stock')).length === 0);
	});
});

describe('lifecycle', () => {
	it('a move to end of life with open commitments raises lifecycle_change; moving back resolves it', async () => {
		const c = await api(node, ops, 'POST', '/api/commitments', {
			id: 'LC-1', customer: 'Acme', sku: 'K', qty: 10, requestedDate: D(3), promisedDate: D(3), site: 'S', status: 'confirmed'
		});
		expect(c.status).toBe(201);
		expect((await api(node, viewer, 'POST', '/api/skus/K/lifecycle', { stage: 'decline', reason: 'no' })).status).toBe(403);
		const bad = await api<{ errors: { path: string }[] }>(node, sales, 'POST', '/api/skus/K/lifecycle', { stage: 'end_of_life' });
		expect(bad.body.errors.map((e) => e.path)).toEqual(['reason']);

		const moved = await api(node, sales, 'POST', '/api/skus/K/lifecycle', { stage: 'end_of_life', reason: 'successor K2 launches' });
		expect(moved.status).toBe(200);
		const [alert] = await liveAlerts('lifecycle_change');
		expect(alert).toMatchObject({ severity: 'low', sku: 'K', site: null, message: 'K moved to end of life with 1 open commitment' });

		await api(node, ops, 'POST', '/api/skus/K/lifecycle', { stage: 'mature', reason: 'successor delayed' });
		expect(await liveAlerts('lifecycle_change')).toEqual([]);
		const { body } = await api<{ sku: { lifecycle: string }; lifecycle: { to: string; reason: string; actor: string }[] }>(node, ops, 'GET', '/api/skus/K');
		expect(body.sku.lifecycle).toBe('mature');
		expect(body.lifecycle.map((l) => [l.to, l.reason, l.actor])).toEqual([
			['mature', 'successor delayed', 'ops@signals.local'],
			['end_of_life', 'successor K2 launches', 'sales@signals.local']
		]);
	});

	it('the sweep resolves lifecycle_change once the last open commitment is gone', async () => {
		await api(node, ops, 'POST', '/api/skus/K/lifecycle', { stage: 'decline', reason: 'demand falling' });
		expect(await liveAlerts('lifecycle_change')).toHaveLength(1);
		expect((await api(node, ops, 'PATCH', '/api/commitments/LC-1', { status: 'cancelled' })).status).toBe(200);
		expect(await node.services.lifecycle.sweep()).toBe(1);
		expect(await liveAlerts('lifecycle_change')).toEqual([]);
		expect(await node.services.lifecycle.sweep()).toBe(0);
	});
});

describe('multi-site view and activity', () => {
	it('lists every site with inbound lines, late ones marked', async () => {
		const { body } = await api<{ sites: { site: string; onHand: number; inboundLines: { key: string; late: boolean; eta: string }[] }[] }>(node, ops, 'GET', '/api/skus/K');
		expect(body.sites.map((s) => [s.site, s.onHand])).toEqual([['S', 100], ['T', 0]]);
		expect(body.sites[1].inboundLines).toEqual([expect.objectContaining({ key: 'PO-9', late: true, eta: D(-2) })]);
	});

	it('the feed of a SKU and of a site says what changed and who changed it', async () => {
		const sku = await api<{ source: string; actor: string | null; summary: string }[]>(node, ops, 'GET', '/api/activity?sku=K');
		const lines = sku.body.map((e) => `${e.source} | ${e.actor} | ${e.summary}`);
		expect(lines).toContain('lifecycle | sales@signals.local | K moved from mature to end of life: successor K2 launches');
		expect(lines).toContain(`signal | sales@signals.local | recorded signal on K @ S: Acme ~30/week from ${today} (new contract)`);
		expect(lines).toContain('event | INGEST_TOKEN | counted K @ S: 100 on hand');
		const site = await api<{ summary: string }[]>(node, ops, 'GET', '/api/activity?site=T');
		expect(site.body.map((e) => e.summary)).toEqual([`PO line PO-9 of K @ T: 40 open, ETA ${D(-2)}`]);
		expect((await api(node, ops, 'GET', '/api/activity')).status).toBe(400);
	});
});
