import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/core/dates.ts';
import { userCookie } from '../support/api.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';

let a: TestNode;
let b: TestNode;
const cookies = new Map<TestNode, { admin: string; sales: string }>();
const today = new Date().toISOString().slice(0, 10);

async function csv(node: TestNode, kind: string, body: string, opts: { dryRun?: boolean; as?: 'admin' | 'sales' } = {}) {
	const res = await fetch(`${node.url}/api/import/${kind}${opts.dryRun ? '?dryRun=1' : ''}`, {
		method: 'POST',
		headers: { 'content-type': 'text/csv', cookie: cookies.get(node)![opts.as ?? 'admin'], origin: node.url },
		body
	});
	return { status: res.status, body: (await res.json()) as Record<string, unknown> & { problems: { row: number; field: string; message: string }[] } };
}

async function exported(node: TestNode, list: string): Promise<string> {
	const res = await fetch(`${node.url}/api/export/${list}.csv`, { headers: { cookie: cookies.get(node)!.admin } });
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toContain('text/csv');
	return res.text();
}

async function settled(node: TestNode): Promise<void> {
	await waitForValue(async () => {
		const [{ n }] = await node.services_.sql<{ n: number }[]>`select count(*)::int as n from position_dirty where dirty_since is not null`;
		return n === 0;
	}, 30_000);
}

async function start(label: string) {
	const node = await startTestNode(label);
	cookies.set(node, { admin: await userCookie(node, `admin@${label}.local`, 'admin'), sales: await userCookie(node, `sales@${label}.local`, 'sales') });
	return node;
}

const SITES = 'code,name,time_zone\r\nEAST,"East DC, Newark",America/New_York\r\nWEST,West DC,America/Los_Angeles\r\n';

/** 10,000 SKU rows (5,000 SKUs at two sites); `bad` lists rows (1-based) to break. */
function skuFile(bad: Map<number, (cols: string[]) => void> = new Map()): string {
	const lines = ['code,name,unit,lifecycle,lead_time_days,site,safety_stock,reorder_point'];
	for (let row = 1; row <= 10_000; row++) {
		const i = Math.ceil(row / 2);
		const cols = [`SKU-${String(i).padStart(5, '0')}`, `Part ${i}`, 'ea', 'mature', String(7 + (i % 20)), row % 2 ? 'EAST' : 'WEST', '10', '25'];
		bad.get(row)?.(cols);
		lines.push(cols.join(','));
	}
	return lines.join('\n') + '\n';
}

beforeAll(async () => {
	[a, b] = await Promise.all([start('importa'), start('importb')]);
});
afterAll(async () => {
	await Promise.all([a?.stop(), b?.stop()]);
});

describe('CSV import, all or nothing', () => {
	it('3 bad rows among 10,000: each bad row and field is named, nothing is written', async () => {
		expect((await csv(a, 'sites', SITES)).status).toBe(200);
		const broken = skuFile(
			new Map<number, (c: string[]) => void>([
				[17, (c) => (c[4] = 'soon')],
				[4242, (c) => ((c[3] = 'retired'), (c[6] = '-5'))],
				[9999, (c) => (c[5] = 'NORTH')]
			])
		);
		const res = await csv(a, 'skus', broken);
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({ ok: false, rows: 10_000, badRows: 3, problemCount: 4, written: 0 });
		expect(res.body.problems.map((p) => [p.row, p.field])).toEqual([
			[17, 'lead_time_days'],
			[4242, 'lifecycle'],
			[4242, 'safety_stock'],
			[9999, 'site']
		]);
		expect(res.body.problems[3].message).toBe('no site NORTH; import sites first');
		expect((res.body.errors as { index: number; path: string }[])[0]).toMatchObject({ index: 17, path: 'lead_time_days' });
		const [{ n }] = await a.services_.sql<{ n: number }[]>`select count(*)::int as n from skus`;
		expect(n).toBe(0);
		// A dry run answers the same problems with 200, for the preview.
		const dry = await csv(a, 'skus', broken, { dryRun: true });
		expect(dry).toMatchObject({ status: 200, body: { ok: false, badRows: 3 } });
	});

	it('the same file fixed imports every row', async () => {
		const res = await csv(a, 'skus', skuFile());
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ ok: true, rows: 10_000, written: 10_000, problemCount: 0 });
		const [{ skus, params }] = await a.services_.sql<{ skus: number; params: number }[]>`
			select (select count(*)::int from skus) as skus, (select count(*)::int from sku_sites) as params`;
		expect({ skus, params }).toEqual({ skus: 5000, params: 10_000 });
	});

	it('names header problems and ragged rows', async () => {
		const res = await csv(a, 'stock', 'sku,site,quantity\nSKU-00001,EAST,5\n');
		expect(res.body.problems.map((p) => [p.row, p.field])).toEqual([
			[0, 'quantity'],
			[0, 'qty']
		]);
		const ragged = await csv(a, 'stock', 'sku,site,qty\nSKU-00001,EAST\n', { dryRun: true });
		expect(ragged.body.problems).toEqual([{ row: 1, line: 2, field: '*', message: 'expected 3 fields as in the header, found 2' }]);
	});

	it('commitments follow the field-ownership rules, per row and field', async () => {
		const file = `customer,sku,qty,requested_date,promised_date,site,status\nAcme,SKU-00001,5,${addDays(today, 9)},,,requested\nGlobex,SKU-00002,5,${addDays(today, 9)},${addDays(today, 9)},EAST,confirmed\n`;
		const res = await csv(a, 'commitments', file, { as: 'sales' });
		expect(res.status).toBe(400);
		expect(res.body.problems.map((p) => [p.row, p.field])).toEqual([
			[2, 'promised_date'],
			[2, 'site'],
			[2, 'status']
		]);
	});
});

describe('an export re-imports to the same data', () => {
	it('sites, SKUs, PO lines, stock and commitments round-trip through another node', async () => {
		const pos = `po,sku,site,qty,eta\nPO-1,SKU-00001,EAST,40,${addDays(today, 5)}\nPO-2,SKU-00002,WEST,15,\n`;
		const stock = 'sku,site,qty,counted_at\nSKU-00001,EAST,12,2026-01-05T08:00:00Z\nSKU-00002,WEST,3,\nSKU-00003,EAST,0,\n';
		const commitments = [
			'id,customer,sku,qty,requested_date,promised_date,site,status,owner,priority,notes',
			`RT-1,"Acme, Inc.",SKU-00001,5,${addDays(today, 3)},${addDays(today, 4)},EAST,confirmed,ops@x,2,"says ""asap"""`,
			`RT-2,=cmd|' /C calc'!A0,SKU-00002,7,${addDays(today, 8)},,,requested,,0,`
		].join('\n');
		for (const [kind, body] of [['pos', pos], ['stock', stock], ['commitments', commitments]]) {
			const res = await csv(a, kind, body);
			expect(res.status, `${kind}: ${JSON.stringify(res.body.problems)}`).toBe(200);
		}
		await settled(a);

		const lists = ['sites', 'skus', 'pos', 'stock', 'commitments'];
		const first = Object.fromEntries(await Promise.all(lists.map(async (l) => [l, await exported(a, l)] as const)));
		expect(first.commitments).toContain(`,'=cmd|' /C calc'!A0,`); // a formula is never exported live
		expect(first.pos.split('\r\n').slice(0, 3)).toEqual(['po,sku,site,qty,eta,at', `PO-1,SKU-00001,EAST,40,${addDays(today, 5)},`, 'PO-2,SKU-00002,WEST,15,,']);
		for (const l of lists) {
			const res = await csv(b, l, first[l]);
			expect(res.status, `${l}: ${JSON.stringify(res.body.problems)}`).toBe(200);
		}
		await settled(b);
		for (const l of lists) {
			const again = await exported(b, l);
			// counted_at is the moment of each export; everything else must be identical.
			const strip = (text: string) => (l === 'stock' ? text.replace(/,[^,\r\n]*\r\n/g, '\r\n') : text);
			expect(strip(again), l).toBe(strip(first[l]));
		}
		const [{ n }] = await b.services_.sql<{ n: number }[]>`select count(*)::int as n from positions where sku = 'SKU-00001' and site = 'EAST' and on_hand = 12`;
		expect(n).toBe(1);
	});
});
