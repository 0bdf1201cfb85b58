// Keeping a broken promise in Chromium: a short card shows its options, ops ships it from another
// site in one step and the sales page sees it turn ok live; a re-plan shows before/after and applies.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/core/dates.ts';
import { launchChromium, signIn } from '../support/browser.ts';
import { postEvents } from '../support/node.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
let sales: Page;
let ops: Page;
const today = new Date().toISOString().slice(0, 10);
const D = (n: number) => addDays(today, n);
const now = () => new Date().toISOString();
const card = (page: Page, id: string) => page.locator(`[data-card-id="${id}"]`);
let salesNavigations = 0;

async function boardPage(email: string, path = '/board'): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	await signIn(page, node, email, undefined, path);
	await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 10_000 });
	return page;
}

/** Ops creates a confirmed commitment through the API, as any client would. */
async function confirmed(id: string, sku: string, qty: number, date: string, priority = 0) {
	const res = await ops.request.post(`${node.url}/api/commitments`, {
		headers: { origin: node.url },
		data: { id, customer: `Customer ${id}`, sku, qty, requestedDate: date, promisedDate: date, site: 'A', status: 'confirmed', priority }
	});
	expect(res.status()).toBe(201);
}

beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('optionsui'), launchChromium()]);
	await createUser(node.db, 'sales@test.local', 'sales');
	await createUser(node.db, 'ops@test.local', 'ops');
	await node.db.sql`insert into sites (code, name) values ('A', 'Alpha DC'), ('B', 'Beta DC')`;
	await node.db.sql`insert into skus (code, name, lead_time_days) values ('OPT-1', 'Option widget', 30), ('RPL-1', 'Replan widget', 30)`;
	await node.db.sql`insert into lanes (from_site, to_site, transit_days) values ('B', 'A', 2)`;
	await postEvents(node, [
		{ id: 'a-count', type: 'count', sku: 'OPT-1', site: 'A', qty: 5, at: now() },
		{ id: 'a-po', type: 'po', sku: 'OPT-1', site: 'A', qty: 20, po: 'PO-A', eta: D(6), at: now() },
		{ id: 'b-count', type: 'count', sku: 'OPT-1', site: 'B', qty: 30, at: now() },
		{ id: 'r-count', type: 'count', sku: 'RPL-1', site: 'A', qty: 10, at: now() },
		{ id: 'r-po', type: 'po', sku: 'RPL-1', site: 'A', qty: 10, po: 'PO-R', eta: D(8), at: now() }
	]);
	ops = await boardPage('ops@test.local');
	await confirmed('opt-1', 'OPT-1', 12, D(3));
	// Sales follows a link to the card (as an alert toast would give): it opens highlighted.
	sales = await boardPage('sales@test.local', '/board?commitment=opt-1');
	sales.on('framenavigated', () => salesNavigations++);
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

describe('keeping a broken promise on the board', () => {
	it('a short card shows its best option in one line; a link opens and highlights it', async () => {
		await expect.poll(() => card(ops, 'opt-1').getAttribute('data-risk'), { timeout: 10_000 }).toBe('short');
		await expect.poll(() => card(ops, 'opt-1').getByTestId('best-option').textContent(), { timeout: 10_000 }).toMatch(`Ship from B by ${D(1)}`);
		expect(await card(sales, 'opt-1').getAttribute('data-highlighted')).toBe('true');
		await expect.poll(() => sales.getByTestId('card-editor').textContent()).toContain('opt-1');
	});

	it('sales asks for an option: ops sees the mark live', async () => {
		const panel = sales.getByTestId('card-options');
		await expect.poll(() => panel.getByTestId('option').count(), { timeout: 10_000 }).toBe(4);
		await panel.locator('[data-kind="expedite"]').getByRole('button', { name: 'Request' }).click();
		await card(ops, 'opt-1').getByTestId('option-requested').waitFor({ timeout: 5000 });
	});

	it('ops applies "ship from B" in one step; the sales page sees the card turn ok without a reload', async () => {
		await card(ops, 'opt-1').click();
		const panel = ops.getByTestId('card-options');
		const options = panel.getByTestId('option');
		await expect.poll(() => options.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))), { timeout: 10_000 }).toEqual([
			'other_site',
			'expedite',
			'later_date',
			'split'
		]);
		await panel.locator('[data-kind="other_site"]').getByRole('button', { name: 'Apply' }).click();
		await expect.poll(() => card(sales, 'opt-1').getAttribute('data-site'), { timeout: 5000 }).toBe('B');
		await expect.poll(() => card(sales, 'opt-1').getAttribute('data-risk'), { timeout: 10_000 }).toBe('ok');
		// Applying answered the request: its mark is gone everywhere.
		await expect.poll(() => card(sales, 'opt-1').getByTestId('option-requested').count()).toBe(0);
		expect(salesNavigations).toBe(0);
	});

	it('a re-plan shows before and after, by priority, and applies', async () => {
		await confirmed('r-early', 'RPL-1', 10, D(2), 1);
		await confirmed('r-vip', 'RPL-1', 10, D(4), 5);
		await expect.poll(() => card(ops, 'r-vip').getAttribute('data-risk'), { timeout: 10_000 }).toBe('short');
		await card(ops, 'r-vip').click();
		await ops.getByRole('button', { name: 'Re-plan RPL-1 at A' }).click();
		const rows = ops.getByTestId('replan-row');
		await expect.poll(() => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))), { timeout: 5000 }).toEqual(['r-vip', 'r-early']);
		const early = ops.locator('[data-testid="replan-row"][data-id="r-early"]');
		expect((await early.textContent())?.replace(/\s+/g, ' ')).toMatch(new RegExp(`${D(2)}.*OK.*${D(8)}.*At risk`));
		await ops.getByRole('button', { name: 'Apply re-plan (1 change)' }).click();
		await expect.poll(() => card(sales, 'r-early').getAttribute('data-promised'), { timeout: 5000 }).toBe(D(8));
		await expect.poll(() => card(sales, 'r-vip').getAttribute('data-risk'), { timeout: 10_000 }).toBe('ok');
	});
});
