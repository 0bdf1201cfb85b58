// The collaborative board through a whole node: official WebsocketProviders signed in as sales, ops
// and admin; the projection into the commitments table; field ownership enforced before anyone sees;
// REST writes landing in the document; the engine's verdicts written back into `computed`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addDays } from '../../src/lib/core/dates.ts';
import { api, userCookie } from '../support/api.ts';
import { addCard, boardClient, card, docHash, type BoardClient } from '../support/yjs.ts';
import { postEvents, startTestNode, type TestNode } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';

let node: TestNode;
const cookie: Record<'sales' | 'ops' | 'admin', string> = { sales: '', ops: '', admin: '' };
const clients: BoardClient[] = [];
const today = new Date().toISOString().slice(0, 10);
const D = (n: number) => addDays(today, n);

function client(role: keyof typeof cookie, board = 'main'): BoardClient {
	const c = boardClient(node.url, board, cookie[role]);
	clients.push(c);
	return c;
}

const row = async (id: string) => (await node.sql`select * from commitments where id = ${id}`)[0];
const history = async (id: string) => (await api<{ kind: string; field: string | null; actor: string }[]>(node, cookie.ops, 'GET', `/api/commitments/${id}/history`)).body;

beforeAll(async () => {
	node = await startTestNode('board');
	for (const role of ['sales', 'ops', 'admin'] as const) cookie[role] = await userCookie(node, `${role}@board.local`, role);
});
afterAll(async () => {
	clients.forEach((c) => c.destroy());
	await node?.stop();
});

describe('board documents through a node', () => {
	it('projects a card sales creates into the commitments table, with its history, and ops sees it', async () => {
		const [sales, ops] = [client('sales'), client('ops')];
		await Promise.all([sales.synced, ops.synced]);
		addCard(sales, 'p1', { customer: 'Acme', sku: 'P-1', qty: 40, requestedDate: D(14), owner: 'sales@board.local', priority: 1, notes: 'first' });
		await waitForValue(async () => card(ops, 'p1')?.get('customer') === 'Acme');
		const stored = await waitForValue(() => row('p1'));
		expect(stored).toMatchObject({ customer: 'Acme', sku: 'P-1', qty: 40, requestedDate: D(14), promisedDate: null, status: 'requested', notes: 'first', boardId: 'main' });
		expect(await history('p1')).toEqual([expect.objectContaining({ kind: 'create', actor: 'sales@board.local' })]);
		// No site yet: nothing can check it, so its verdict is unknown (never silently ok).
		await waitForValue(async () => (ops.computed.get('p1') as { risk?: string } | undefined)?.risk === 'unknown');

		ops.doc.transact(() => {
			card(ops, 'p1')!.set('promisedDate', D(15));
			card(ops, 'p1')!.set('site', 'W');
			card(ops, 'p1')!.set('status', 'confirmed');
		});
		await waitForValue(async () => (await row('p1'))?.status === 'confirmed');
		expect(await row('p1')).toMatchObject({ promisedDate: D(15), site: 'W' });
		const changes = await history('p1');
		expect(changes.filter((h) => h.kind === 'change').map((h) => [h.field, h.actor]).sort()).toEqual([
			['promisedDate', 'ops@board.local'], ['site', 'ops@board.local'], ['status', 'ops@board.local']
		]);
		expect(card(sales, 'p1')!.get('status')).toBe('confirmed');
	});

	it("refuses sales's change to an ops field before anyone sees it, tells sales why, and keeps the honest edits", async () => {
		const [sales, ops] = [client('sales'), client('ops')];
		await Promise.all([sales.synced, ops.synced]);
		addCard(ops, 'p2', { customer: 'Beta', sku: 'P-2', qty: 5, requestedDate: D(3), promisedDate: D(4), site: 'W', status: 'confirmed' });
		await waitForValue(() => row('p2'));
		await waitForValue(async () => card(sales, 'p2')?.get('promisedDate') === D(4));
		const seenByOps: unknown[] = [];
		ops.doc.on('update', () => seenByOps.push(card(ops, 'p2')?.get('promisedDate')));
		card(sales, 'p2')!.set('qty', 6); // sales owns qty: this one stays
		await waitForValue(async () => card(ops, 'p2')!.get('qty') === 6);
		card(sales, 'p2')!.set('promisedDate', '2031-01-01');
		expect((await sales.closed).code).toBe(4409);
		expect(sales.denials.at(-1)).toMatch(/sales may not change promisedDate; ops owns it/);
		await waitForValue(async () => (await history('p2')).some((h) => h.kind === 'refused' && h.actor === 'sales@board.local'));
		await waitForValue(async () => (await row('p2'))?.qty === 6);
		expect((await row('p2')).promisedDate).toBe(D(4));
		expect(seenByOps).not.toContain('2031-01-01');
		const stored = await node.sql<{ update: Buffer }[]>`select update from board_updates where board_id = 'main'`;
		expect(stored.some((r) => r.update.includes('2031-01-01'))).toBe(false);
		// Sales starts again from the server's document and goes on working.
		const again = client('sales');
		await again.synced;
		expect(card(again, 'p2')!.get('promisedDate')).toBe(D(4));
		card(again, 'p2')!.set('qty', 8);
		await waitForValue(async () => card(ops, 'p2')!.get('qty') === 8);
		await waitForValue(async () => docHash(again.doc) === docHash(ops.doc));
	});

	it('refuses invalid values, client writes to computed, and deleting a card, whoever tries', async () => {
		const [sales, ops] = [client('sales'), client('ops')];
		await Promise.all([sales.synced, ops.synced]);
		addCard(sales, 'p3', { customer: 'Gamma', sku: 'P-3', qty: 7, requestedDate: D(5) });
		await waitForValue(() => row('p3'));
		await waitForValue(async () => card(ops, 'p3')?.get('customer') === 'Gamma');
		card(sales, 'p3')!.set('qty', 'lots');
		expect((await sales.closed).code).toBe(4409);
		expect(sales.denials.join('\n')).toMatch(/qty/);
		ops.computed.set('p3', { risk: 'ok', shortQty: 0, earliestDate: null, checkedAt: null });
		expect((await ops.closed).code).toBe(4409);
		expect(ops.denials.join('\n')).toMatch(/computed/);
		for (const role of ['sales', 'admin'] as const) {
			const c = client(role);
			await c.synced;
			c.commitments.delete('p3');
			expect((await c.closed).code).toBe(4409);
			expect(c.denials.join('\n')).toMatch(/never deleted/);
		}
		const watcher = client('ops');
		await watcher.synced;
		expect(card(watcher, 'p3')?.get('qty')).toBe(7);
		expect((watcher.computed.get('p3') as { risk?: string } | undefined)?.risk).toBe('unknown');
		expect((await row('p3')).status).toBe('requested');
	});

	it('lands REST creates and patches in the document, answers with the stored row, and enforces the policy once', async () => {
		const ops = client('ops');
		await ops.synced;
		const created = await api<Record<string, unknown>>(node, cookie.sales, 'POST', '/api/commitments', { id: 'r1', customer: 'Delta', sku: 'P-4', qty: 3, requestedDate: D(6), notes: 'via API' });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ id: 'r1', board: 'main', customer: 'Delta', status: 'requested', owner: 'sales@board.local', notes: 'via API' });
		await waitForValue(async () => (card(ops, 'r1')?.get('notes') as Y.Text | undefined)?.toString() === 'via API');

		const forbidden = await api(node, cookie.sales, 'PATCH', '/api/commitments/r1', { promisedDate: D(6) });
		expect(forbidden.status).toBe(403);
		const dup = await api(node, cookie.sales, 'POST', '/api/commitments', { id: 'r1', customer: 'Delta', sku: 'P-4', qty: 3, requestedDate: D(6) });
		expect(dup.status).toBe(409);

		const patched = await api<Record<string, unknown>>(node, cookie.ops, 'PATCH', '/api/commitments/r1', { promisedDate: D(7), site: 'W', status: 'confirmed', notes: 'via API, confirmed' });
		expect(patched.status).toBe(200);
		expect(patched.body).toMatchObject({ promisedDate: D(7), site: 'W', status: 'confirmed', notes: 'via API, confirmed' });
		await waitForValue(async () => card(ops, 'r1')?.get('status') === 'confirmed');
		expect((card(ops, 'r1')!.get('notes') as Y.Text).toString()).toBe('via API, confirmed');
		expect((await history('r1')).map((h) => h.actor)).toContain('ops@board.local');
		expect(ops.denials).toEqual([]);
	});

	it("writes the engine's verdict into computed when an event makes a confirmed commitment short", async () => {
		const ops = client('ops');
		await ops.synced;
		// A SKU the catalogue knows (one registered on the fly is never judged: its risk stays unknown).
		await node.sql`insert into sites (code, name) values ('W', 'West') on conflict do nothing`;
		await node.sql`insert into skus (code, name, lead_time_days) values ('V-1', 'Valve', 30)`;
		await postEvents(node, { id: 'v-count', type: 'count', sku: 'V-1', site: 'W', qty: 100, at: new Date().toISOString() });
		addCard(ops, 'v1', { customer: 'Eps', sku: 'V-1', qty: 40, requestedDate: D(3), promisedDate: D(3), site: 'W', status: 'confirmed' });
		await waitForValue(async () => (ops.computed.get('v1') as { risk?: string } | undefined)?.risk === 'ok');
		await postEvents(node, [
			{ id: 'v-po', type: 'po', sku: 'V-1', site: 'W', qty: 50, po: 'PO-V', eta: D(10), at: new Date().toISOString() },
			{ id: 'v-count2', type: 'count', sku: 'V-1', site: 'W', qty: 10, at: new Date().toISOString() }
		]);
		const verdict = await waitForValue(async () => {
			const v = ops.computed.get('v1') as { risk: string; shortQty: number; earliestDate: string } | undefined;
			return v?.risk === 'short' ? v : null;
		});
		expect(verdict).toMatchObject({ risk: 'short', shortQty: 30, earliestDate: D(10) });
	});

	it('backfills a board from commitments stored before it had a document', async () => {
		await node.sql`insert into commitments (id, board_id, customer, sku, qty, requested_date, status) values ('old-1', 'legacy', 'Zeta', 'L-1', 2, ${D(2)}, 'requested')`;
		const ops = client('ops', 'legacy');
		await ops.synced;
		await waitForValue(async () => card(ops, 'old-1')?.get('customer') === 'Zeta');
		expect((card(ops, 'old-1')!.get('notes') as Y.Text).toString()).toBe('');
	});

	it('converges twenty providers editing one board at once', async () => {
		const many = Array.from({ length: 20 }, (_, i) => client(i % 2 ? 'ops' : 'sales', 'twenty'));
		await Promise.all(many.map((c) => c.synced));
		addCard(many[0], 'shared', { customer: 'All', sku: 'T-0', qty: 1, requestedDate: D(9) });
		await waitForValue(async () => many.every((c) => card(c, 'shared')));
		many.forEach((c, i) => {
			if (i % 2 === 0) addCard(c, `t${i}`, { customer: `C${i}`, sku: `T-${i}`, qty: i + 1, requestedDate: D(9) });
			(card(c, 'shared')!.get('notes') as Y.Text).insert(0, `[${i}]`);
		});
		const expected = many.reduce((n, _, i) => n + `[${i}]`.length, 0);
		await waitForValue(async () => many.every((c) => c.commitments.size === 11 && (card(c, 'shared')!.get('notes') as Y.Text).length === expected));
		const hashes = new Set(many.map((c) => docHash(c.doc)));
		expect(hashes.size).toBe(1);
		await waitForValue(async () => (await node.sql`select count(*)::int as n from commitments where board_id = 'twenty'`)[0].n === 11);
	});
});
