// Keeping a broken promise through a whole node (CONTRACT wave 2): options per commitment, applying
// them under field ownership through the board document, 409 on a stale option, re-plans, and the
// lanes they rely on (CSV import and export, admin edits).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommitmentWithRisk } from '../../src/lib/contract/commitments.ts';
import type { OptionsResponse, ReplanResponse } from '../../src/lib/contract/options.ts';
import { addDays } from '../../src/lib/core/dates.ts';
import { api, userCookie } from '../support/api.ts';
import { postEvents, startTestNode, type TestNode } from '../support/node.ts';

let node: TestNode;
const cookie = { sales: '', ops: '', admin: '' };
const today = new Date().toISOString().slice(0, 10);
const D = (n: number) => addDays(today, n);
const at = () => new Date().toISOString();

async function csv(kind: string, body: string, as: keyof typeof cookie = 'admin') {
	const res = await fetch(`${node.url}/api/import/${kind}`, { method: 'POST', headers: { 'content-type': 'text/csv', cookie: cookie[as], origin: node.url }, body });
	return { status: res.status, body: (await res.json()) as { written: number; problems: { field: string; message: string }[] } };
}

/** Every SKU×site recomputed: what the options read is what the events said. */
async function settled(): Promise<void> {
	await expect
		.poll(async () => (await node.sql<{ n: number }[]>`select count(*)::int as n from position_dirty where dirty_since is not null`)[0].n, { timeout: 15_000 })
		.toBe(0);
}

async function commitment(id: string): Promise<CommitmentWithRisk> {
	const { body } = await api<CommitmentWithRisk[]>(node, cookie.ops, 'GET', `/api/commitments?limit=5000`);
	return body.find((c) => c.id === id)!;
}

const riskOf = async (id: string) => (await commitment(id))?.risk;

async function confirmed(id: string, sku: string, qty: number, promisedDate: string, site: string, priority = 0) {
	const r = await api(node, cookie.ops, 'POST', '/api/commitments', { id, customer: `cust-${id}`, sku, qty, requestedDate: promisedDate, promisedDate, site, status: 'confirmed', priority });
	expect(r.status).toBe(201);
}

const options = async (id: string, as: keyof typeof cookie = 'ops') => api<OptionsResponse>(node, cookie[as], 'GET', `/api/commitments/${id}/options`);
const apply = (id: string, optionId: string, as: keyof typeof cookie) =>
	api<CommitmentWithRisk[] & { error?: string; errors?: { path: string }[] }>(node, cookie[as], 'POST', `/api/commitments/${id}/options/${optionId}/apply`, {});

/** A SKU short at A (5 on hand, 20 due on day 6), with 30 at B two days away. */
async function shortAtA(sku: string, id: string) {
	expect((await csv('skus', `code,name,lead_time_days\n${sku},${sku} valve,30\n`)).status).toBe(200);
	await postEvents(node, [
		{ id: `${sku}-a`, type: 'count', sku, site: 'A', qty: 5, at: at() },
		{ id: `${sku}-po`, type: 'po', sku, site: 'A', qty: 20, po: `PO-${sku}`, eta: D(6), at: at() },
		{ id: `${sku}-b`, type: 'count', sku, site: 'B', qty: 30, at: at() }
	]);
	await confirmed(id, sku, 12, D(3), 'A');
	await settled();
	await expect.poll(() => riskOf(id), { timeout: 15_000 }).toBe('short');
}

beforeAll(async () => {
	node = await startTestNode('options');
	for (const role of ['sales', 'ops', 'admin'] as const) cookie[role] = await userCookie(node, `${role}@options.local`, role);
	expect((await csv('sites', 'code,name\nA,Alpha\nB,Beta\nC,Gamma\n')).status).toBe(200);
	expect((await csv('lanes', 'from_site,to_site,transit_days\nB,A,2\n')).body.written).toBe(1);
});
afterAll(async () => {
	await node?.stop();
});

describe('options for a short commitment', () => {
	it('lists every kind that helps, best first, each with its effects', async () => {
		await shortAtA('S-1', 'o1');
		const { status, body } = await options('o1', 'sales');
		expect(status).toBe(200);
		expect(body).toMatchObject({ commitmentId: 'o1', risk: 'short' });
		const byKind = Object.fromEntries(body.options.map((o) => [o.kind, o]));
		expect(Object.keys(byKind).sort()).toEqual(['expedite', 'later_date', 'other_site', 'split']);
		expect(byKind.other_site).toMatchObject({ site: 'B', date: D(3), worseCount: 0 });
		expect(byKind.later_date).toMatchObject({ site: 'A', date: D(6) });
		expect(byKind.split.parts).toEqual([expect.objectContaining({ qty: 5, date: D(3) }), expect.objectContaining({ qty: 7, date: D(6), commitmentId: 'o1.2' })]);
		expect(byKind.expedite.po).toEqual({ po: 'PO-S-1', neededEta: D(3) });
		expect(byKind.other_site.effects[0]).toMatchObject({ commitmentId: 'o1', riskBefore: 'short', riskAfter: 'ok' });
		// Other site and expedite keep the date and touch nobody: they rank above the later ones.
		expect(body.options.slice(0, 2).map((o) => o.kind).sort()).toEqual(['expedite', 'other_site']);
	});

	it('403 names the fields the role may not set; ops ships from the other site and the card turns ok', async () => {
		const { body } = await options('o1');
		const other = body.options.find((o) => o.kind === 'other_site')!;
		const refused = await apply('o1', other.id, 'sales');
		expect(refused.status).toBe(403);
		expect(refused.body.errors!.map((e) => e.path)).toEqual(['site']);
		// A split changes the quantity, which sales owns: ops may not apply it alone.
		const split = body.options.find((o) => o.kind === 'split')!;
		const splitRefused = await apply('o1', split.id, 'ops');
		expect(splitRefused.status).toBe(403);
		expect(splitRefused.body.errors!.map((e) => e.path)).toEqual(['qty']);

		const done = await apply('o1', other.id, 'ops');
		expect(done.status).toBe(200);
		expect(done.body).toEqual([expect.objectContaining({ id: 'o1', site: 'B', promisedDate: D(3) })]);
		expect(done.body[0].notes).toContain('✓ applied: Ship from B');
		await expect.poll(() => riskOf('o1'), { timeout: 15_000 }).toBe('ok');
		const history = await api<{ field: string | null; actor: string }[]>(node, cookie.ops, 'GET', '/api/commitments/o1/history');
		expect(history.body).toContainEqual(expect.objectContaining({ field: 'site', actor: 'ops@options.local' }));
		const feed = await api<{ source: string; actor: string; summary: string }[]>(node, cookie.ops, 'GET', '/api/activity?sku=S-1');
		expect(feed.body).toContainEqual(expect.objectContaining({ source: 'option', actor: 'ops@options.local', summary: expect.stringContaining('applied an option to o1: Ship from B') }));
	});

	it('409 when the situation changed since the option was computed', async () => {
		await shortAtA('S-2', 'o2');
		const { body } = await options('o2');
		const later = body.options.find((o) => o.kind === 'later_date')!;
		await postEvents(node, { id: 'S-2-a2', type: 'count', sku: 'S-2', site: 'A', qty: 6, at: at() });
		await settled();
		const stale = await apply('o2', later.id, 'ops');
		expect(stale.status).toBe(409);
		expect((await commitment('o2')).promisedDate).toBe(D(3));
		const fresh = (await options('o2')).body.options.find((o) => o.kind === 'later_date')!;
		expect(fresh.id).not.toBe(later.id);
		expect((await apply('o2', fresh.id, 'ops')).body).toEqual([expect.objectContaining({ id: 'o2', promisedDate: D(6) })]);
		await expect.poll(() => riskOf('o2'), { timeout: 15_000 }).toBe('at_risk');
	});

	it('an admin applies a split: a second, linked commitment carries the rest', async () => {
		await shortAtA('S-3', 'o3');
		const split = (await options('o3')).body.options.find((o) => o.kind === 'split')!;
		const done = await apply('o3', split.id, 'admin');
		expect(done.status).toBe(200);
		expect(done.body.map((c) => [c.id, c.qty, c.promisedDate])).toEqual([
			['o3.2', 7, D(6)],
			['o3', 5, D(3)]
		]);
		expect(done.body[0].notes).toBe('split from o3');
		await expect.poll(() => riskOf('o3'), { timeout: 15_000 }).toBe('ok');
	});

	it('expedite records what the PO must do; sales requests an option with a marked note', async () => {
		await shortAtA('S-4', 'o4');
		const { body } = await options('o4', 'sales');
		const expedite = body.options.find((o) => o.kind === 'expedite')!;
		const asked = await api<CommitmentWithRisk>(node, cookie.sales, 'POST', `/api/commitments/o4/options/${expedite.id}/request`, { note: 'customer insists' });
		expect(asked.status).toBe(200);
		expect(asked.body.notes).toMatch(/^⚑ requested: Expedite PO-S-4 to arrive by .* \(sales@options\.local\) — customer insists$/m);
		expect((await apply('o4', expedite.id, 'sales')).status).toBe(403);
		const done = await apply('o4', expedite.id, 'ops');
		expect(done.status).toBe(200);
		expect(done.body[0].notes).not.toContain('⚑ requested');
		expect(done.body[0].notes).toContain(`✓ applied: Expedite PO-S-4 to arrive by ${D(3)}`);
	});

	it('reallocate takes from a lower-priority promise, naming what it becomes', async () => {
		expect((await csv('skus', 'code,name,lead_time_days\nS-5,valve,30\n')).status).toBe(200);
		await postEvents(node, [
			{ id: 'S-5-a', type: 'count', sku: 'S-5', site: 'A', qty: 10, at: at() },
			{ id: 'S-5-po', type: 'po', sku: 'S-5', site: 'A', qty: 10, po: 'PO-S-5', eta: D(20), at: at() }
		]);
		await confirmed('low5', 'S-5', 10, D(2), 'A', 1);
		await confirmed('high5', 'S-5', 10, D(5), 'A', 5);
		await settled();
		await expect.poll(() => riskOf('high5'), { timeout: 15_000 }).toBe('short');
		const take = (await options('high5')).body.options.find((o) => o.kind === 'reallocate')!;
		expect(take.takes).toEqual([{ commitmentId: 'low5', qty: 10, promisedDate: D(20), riskAfter: 'at_risk' }]);
		expect(take.effects.find((e) => e.commitmentId === 'low5')).toMatchObject({ riskBefore: 'ok', riskAfter: 'at_risk', worse: true });
		const done = await apply('high5', take.id, 'ops');
		expect(done.body.map((c) => [c.id, c.promisedDate])).toEqual([['high5', D(5)], ['low5', D(20)]]);
		await expect.poll(() => riskOf('high5'), { timeout: 15_000 }).toBe('ok');
	});
});

describe('re-plan a SKU×site', () => {
	it('shows before and after by priority, applies for ops, 409 on a stale expectation, 403 for sales', async () => {
		expect((await csv('skus', 'code,name,lead_time_days\nR-1,valve,30\n')).status).toBe(200);
		await postEvents(node, [
			{ id: 'R-1-a', type: 'count', sku: 'R-1', site: 'A', qty: 10, at: at() },
			{ id: 'R-1-po', type: 'po', sku: 'R-1', site: 'A', qty: 10, po: 'PO-R', eta: D(8), at: at() }
		]);
		await confirmed('r-early', 'R-1', 10, D(2), 'A', 1);
		await confirmed('r-vip', 'R-1', 10, D(4), 'A', 5);
		await settled();
		const view = await api<ReplanResponse>(node, cookie.sales, 'GET', '/api/replan?sku=R-1&site=A');
		expect(view.status).toBe(200);
		expect(view.body.before.map((r) => [r.commitmentId, r.promisedDate, r.risk])).toEqual([['r-vip', D(4), 'short'], ['r-early', D(2), 'ok']]);
		expect(view.body.after.map((r) => [r.commitmentId, r.promisedDate, r.risk])).toEqual([['r-vip', D(4), 'ok'], ['r-early', D(8), 'at_risk']]);

		expect((await api(node, cookie.sales, 'POST', '/api/replan', { sku: 'R-1', site: 'A', expect: view.body.after })).status).toBe(403);
		const wrong = view.body.after.map((r) => ({ ...r, promisedDate: D(9) }));
		expect((await api(node, cookie.ops, 'POST', '/api/replan', { sku: 'R-1', site: 'A', expect: wrong })).status).toBe(409);
		const applied = await api<CommitmentWithRisk[]>(node, cookie.ops, 'POST', '/api/replan', { sku: 'R-1', site: 'A', expect: view.body.after });
		expect(applied.status).toBe(200);
		expect(applied.body.map((c) => [c.id, c.promisedDate])).toEqual([['r-early', D(8)]]);
		await expect.poll(() => riskOf('r-vip'), { timeout: 15_000 }).toBe('ok');
		// Applied once, the same expectation is now stale: the proposal changed nothing more.
		const again = await api<ReplanResponse>(node, cookie.ops, 'GET', '/api/replan?sku=R-1&site=A');
		expect(again.body.before.map((r) => r.promisedDate)).toEqual(again.body.after.map((r) => r.promisedDate));
	});
});

describe('lanes', () => {
	it('import and export as CSV; admins edit them, nobody else', async () => {
		const bad = await csv('lanes', 'from_site,to_site,transit_days\nA,NOPE,1\nA,A,2\nA,B,-1\n');
		expect(bad.status).toBe(400);
		expect(bad.body.problems.map((p) => p.field).sort()).toEqual(['to_site', 'to_site', 'transit_days']);
		expect((await csv('lanes', 'from_site,to_site,transit_days\nA,C,1\n', 'sales')).status).toBe(403);
		expect((await api(node, cookie.admin, 'PUT', '/api/admin/lanes/A/B', { transitDays: 3 })).status).toBe(200);
		expect((await api(node, cookie.ops, 'PUT', '/api/admin/lanes/A/C', { transitDays: 3 })).status).toBe(403);
		const res = await fetch(`${node.url}/api/export/lanes.csv`, { headers: { cookie: cookie.ops } });
		expect(await res.text()).toBe('from_site,to_site,transit_days\r\nA,B,3\r\nB,A,2\r\n');
		expect((await api(node, cookie.admin, 'DELETE', '/api/admin/lanes/A/B')).status).toBe(204);
		expect((await api(node, cookie.sales, 'GET', '/api/lanes')).body).toEqual([{ fromSite: 'B', toSite: 'A', transitDays: 2 }]);
	});
});
