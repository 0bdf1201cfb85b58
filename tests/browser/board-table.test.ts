// The board at scale in Chromium: 500 commitments in the dense table (windowed rows, sort, group,
// filter, keyboard), a live edit by another client (the official y-websocket provider), and demand
// signals on the cards and rows of their SKU×site only.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/core/dates.ts';
import { addCard, boardClient, card as docCard, type BoardClient } from '../support/yjs.ts';
import { launchChromium, signIn } from '../support/browser.ts';
import { postEvents } from '../support/node.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
let ops: Page;
let other: BoardClient | null = null;
let signalsBoard: BoardClient | null = null;
let adminCookie = '';
const today = new Date().toISOString().slice(0, 10);
const D = (n: number) => addDays(today, n);
const COUNT = 500;
/** The last row sorted by customer ascending: Cust 24, its latest ship date (day 40: i = 399), by id. */
const LAST_BY_CUSTOMER = 't-399';
const customer = (i: number) => `Cust ${String(i % 25).padStart(2, '0')}`;
const rows = (page: Page) => page.getByTestId('table-row');
const grid = (page: Page) => page.getByTestId('board-table');
const firstRow = (page: Page) => page.locator('[data-testid="table-row"][aria-rowindex]').evaluateAll((els) => els.sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))[0]?.getAttribute('data-row-id'));

async function boardPage(email: string, path: string): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	await signIn(page, node, email, undefined, path);
	await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 10_000 });
	return page;
}

function confirmed(client: BoardClient, id: string, customer: string, sku: string, qty: number, day: number, site: string) {
	addCard(client, id, { customer, sku, qty, requestedDate: D(day), promisedDate: D(day), site, status: 'confirmed', owner: 'admin@test.local', priority: 0 });
}

async function cookieOf(page: Page): Promise<string> {
	return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

async function post(page: Page, path: string, data: unknown, contentType = 'application/json') {
	const res = await page.request.post(`${node.url}${path}`, { headers: { origin: node.url, 'content-type': contentType }, data: typeof data === 'string' ? data : JSON.stringify(data) });
	expect(res.status(), await res.text()).toBeLessThan(300);
	return res.json();
}

beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('boardtable'), launchChromium()]);
	await createUser(node.db, 'admin@test.local', 'admin');
	await createUser(node.db, 'ops@test.local', 'ops');
	await node.db.sql`insert into sites (code, name) values ('A', 'Alpha DC'), ('B', 'Beta DC')`;
	await node.db.sql`insert into skus (code, name, lead_time_days) select 'T-' || i, 'Table widget ' || i, 30 from generate_series(0, 9) i`;
	await node.db.sql`insert into skus (code, name, lead_time_days) values ('SIG-1', 'Signal widget', 30)`;
	// Plenty of stock for the 500 (they are ok); none for SIG-1, whose cards are short.
	await postEvents(node, ['A', 'B'].flatMap((site) => Array.from({ length: 10 }, (_, i) => ({ id: `count-${site}-${i}`, type: 'count', sku: `T-${i}`, site, qty: 100_000, at: new Date().toISOString() }))));
	// 500 commitments written by another client (the official provider) in one update.
	const admin = await boardPage('admin@test.local', '/board');
	adminCookie = await cookieOf(admin);
	other = boardClient(node.url, 'main', adminCookie);
	await other.synced;
	const seed = other;
	seed.doc.transact(() => {
		for (let i = 0; i < COUNT; i++) confirmed(seed, `t-${String(i).padStart(3, '0')}`, customer(i), `T-${i % 10}`, 1 + (i % 7), 1 + (i % 40), i % 2 ? 'B' : 'A');
	});
	await admin.close();
	ops = await boardPage('ops@test.local', '/board?view=table');
});
afterAll(async () => {
	other?.destroy();
	signalsBoard?.destroy();
	await browser?.close();
	await node?.stop();
});

describe('the board table at 500 commitments', () => {
	it('shows every commitment while the DOM holds only the rows in view', async () => {
		await expect.poll(() => grid(ops).getAttribute('aria-rowcount'), { timeout: 20_000 }).toBe(String(COUNT + 1));
		const inDom = await rows(ops).count();
		console.log(`table rows in the DOM for ${COUNT} commitments: ${inDom}`);
		expect(inDom).toBeGreaterThan(5);
		expect(inDom).toBeLessThan(80);
		expect(await ops.getByTestId('board-count').textContent()).toContain(`${COUNT} commitments`);
	});

	it('sorts by a column header (aria-sort) both ways', async () => {
		const header = ops.locator('[role="columnheader"][data-column="customer"]');
		await header.getByRole('button').click();
		expect(await header.getAttribute('aria-sort')).toBe('ascending');
		// Ties fall back to the ship date, then the id: Cust 00's soonest is t-000 (day 1).
		await expect.poll(() => firstRow(ops)).toBe('t-000');
		await expect.poll(() => ops.locator('[data-row-id="t-000"]').getAttribute('data-risk'), { timeout: 20_000 }).toBe('ok');
		await header.getByRole('button').click();
		expect(await header.getAttribute('aria-sort')).toBe('descending');
		// Cust 24 (i = 24, 49, …, 499): i = 124 and 324 ship soonest (day 5); ties by id.
		await expect.poll(() => firstRow(ops)).toBe('t-124');
		await header.getByRole('button').click();
		expect(new URL(ops.url()).searchParams.get('sort')).toBe('customer');
	});

	it('moves with the keyboard: arrows, End, Enter opens the editor, Escape closes it, / focuses the filter', async () => {
		await grid(ops).focus();
		await ops.keyboard.press('ArrowDown');
		await ops.keyboard.press('ArrowDown');
		const active = ops.locator('[data-testid="table-row"][data-active="true"]');
		// Cust 00 on day 1: t-000, t-200, t-400 (ties by id).
		expect(await active.getAttribute('data-row-id')).toBe('t-200');
		expect(await grid(ops).getAttribute('aria-activedescendant')).toBe('board-row-t-200');
		await ops.keyboard.press('End');
		// The last row is rendered (scrolled to) even though it was far outside the window.
		await expect.poll(() => active.getAttribute('data-row-id')).toBe(LAST_BY_CUSTOMER);
		await ops.keyboard.press('Enter');
		await expect.poll(() => ops.getByTestId('card-editor').textContent()).toContain(LAST_BY_CUSTOMER);
		await ops.keyboard.press('Escape');
		await expect.poll(() => ops.getByTestId('card-editor').count()).toBe(0);
		expect(await ops.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('board-table');
		await ops.keyboard.press('/');
		expect(await ops.evaluate(() => document.activeElement?.id)).toBe('board-filter-text');
	});

	it('filters by text, site and risk, and groups by customer, site or promised week with counts', async () => {
		await ops.keyboard.type('Cust 07');
		await expect.poll(() => grid(ops).getAttribute('aria-rowcount')).toBe(String(20 + 1));
		// i ≡ 7 (mod 25) alternates between odd (site B) and even (site A).
		await ops.getByLabel('Filter by site').selectOption('B');
		await expect.poll(() => grid(ops).getAttribute('aria-rowcount')).toBe(String(10 + 1));
		await ops.getByLabel('Filter by risk').selectOption('short');
		await expect.poll(() => grid(ops).getAttribute('aria-rowcount')).toBe('1');
		await ops.getByLabel('Filter by risk').selectOption('ok');
		await ops.getByLabel('Group by').selectOption('week');
		const groups = ops.getByTestId('table-group');
		await expect.poll(() => groups.evaluateAll((els) => els.reduce((n, e) => n + Number(e.getAttribute('data-count')), 0))).toBe(10);
		await ops.getByRole('button', { name: 'Clear filters' }).click();
		await ops.getByLabel('Group by').selectOption('site');
		await expect.poll(() => groups.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-label')}:${e.getAttribute('data-count')}`))).toEqual(['A:250']);
		expect(await grid(ops).getAttribute('aria-rowcount')).toBe(String(COUNT + 2 + 1));
		expect(new URL(ops.url()).searchParams.get('group')).toBe('site');
		// The view is in the address: a reload (or a shared link) shows the same table.
		await ops.reload();
		await expect.poll(() => groups.count(), { timeout: 20_000 }).toBeGreaterThan(0);
		expect(await ops.getByLabel('Group by').inputValue()).toBe('site');
	});

	it('shows an edit by another client (y-websocket provider) without a reload', async () => {
		// `other` is the admin's provider that wrote the 500: still connected, editing now.
		await ops.getByLabel('Search commitments').fill('t-123');
		const row = ops.locator('[data-testid="table-row"][data-row-id="t-123"]');
		await row.waitFor({ timeout: 10_000 });
		docCard(other!, 't-123')!.set('site', 'A');
		await expect.poll(() => row.locator('[role="gridcell"]').nth(2).textContent(), { timeout: 10_000 }).toBe('A');
		await ops.getByLabel('Search commitments').fill('');
	});
});

describe('demand signals on the cards they affect', () => {
	let signalA = '';
	let lanes: Page;
	let table: Page;
	const mark = (page: Page, selector: string) => page.locator(selector).getByTestId('signal-mark');

	beforeAll(async () => {
		// A board of their own: three cards of SIG-1, two at A (one shipping before the signal starts), one at B.
		signalsBoard = boardClient(node.url, 'sig', adminCookie);
		await signalsBoard.synced;
		const board = signalsBoard;
		board.doc.transact(() => {
			confirmed(board, 'sig-a', 'Signal Co', 'SIG-1', 5, 20, 'A');
			confirmed(board, 'sig-b', 'Signal Co', 'SIG-1', 5, 20, 'B');
			confirmed(board, 'sig-early', 'Signal Co', 'SIG-1', 5, 2, 'A');
		});
		table = await boardPage('ops@test.local', '/board/sig?view=table');
		const signal = await post(ops, '/api/signals', { sku: 'SIG-1', site: 'A', kind: 'volume', qty: 40, per: 'week', startDate: D(5), customer: 'Acme', note: 'new store opening' });
		signalA = signal.id;
		lanes = await boardPage('ops@test.local', '/board/sig');
	});

	it('a card shows the signal of its SKU×site, not another site\'s, nor one starting after it ships', async () => {
		await expect.poll(() => mark(lanes, '[data-card-id="sig-a"]').textContent(), { timeout: 20_000 }).toContain('Acme ~40/week');
		expect(await mark(lanes, '[data-card-id="sig-a"]').getAttribute('data-signals')).toBe(signalA);
		expect(await mark(lanes, '[data-card-id="sig-b"]').count()).toBe(0);
		expect(await mark(lanes, '[data-card-id="sig-early"]').count()).toBe(0);
		// The side panel tells it in full.
		await lanes.locator('[data-card-id="sig-a"]').click();
		await expect.poll(() => lanes.getByTestId('card-signals').textContent()).toContain('new store opening');
		// And the table row likewise (this page loaded before the signal existed: it came by the refresh).
		await expect.poll(() => mark(table, '[data-row-id="sig-a"]').textContent(), { timeout: 30_000 }).toContain('1');
		expect(await mark(table, '[data-row-id="sig-b"]').count()).toBe(0);
		expect(await mark(table, '[data-row-id="sig-early"]').count()).toBe(0);
	});

	it('a signal added or withdrawn elsewhere appears and goes without a reload', async () => {
		const b = await post(ops, '/api/signals', { sku: 'SIG-1', site: 'B', kind: 'promotion', qty: 300, startDate: D(1), endDate: D(30) });
		await expect.poll(() => mark(lanes, '[data-card-id="sig-b"]').getAttribute('data-signals'), { timeout: 30_000 }).toBe(b.id);
		await expect.poll(() => mark(table, '[data-row-id="sig-b"]').count(), { timeout: 30_000 }).toBe(1);
		await post(ops, `/api/signals/${signalA}/withdraw`, {});
		await expect.poll(() => mark(lanes, '[data-card-id="sig-a"]').count(), { timeout: 30_000 }).toBe(0);
		await expect.poll(() => mark(table, '[data-row-id="sig-a"]').count(), { timeout: 30_000 }).toBe(0);
	});
});
