// The SKU page in Chromium: every site's stock, inbound with ETAs (late ones marked) and backorders
// with their age; the ATP chart with the forecast switch; a signal and a lifecycle change by hand.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/core/dates.ts';
import { launchChromium, signIn } from '../support/browser.ts';
import { postEvents } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
let page: Page;
const today = new Date().toISOString().slice(0, 10);
const D = (n: number) => addDays(today, n);
const at = (n: number) => `${D(n)}T06:00:00Z`;

beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('skupage'), launchChromium()]);
	await createUser(node.db, 'ops@test.local', 'ops');
	const sql = node.db.sql;
	await sql`insert into sites (code, name, time_zone) values ('EAST', 'East DC', 'UTC'), ('WEST', 'West DC', 'UTC')`;
	await sql`insert into skus (code, name, unit, lead_time_days) values ('K-1', 'Gear motor', 'ea', 21)`;
	await sql`insert into sku_sites (sku, site, safety_stock, reorder_point) values ('K-1', 'EAST', 20, 40), ('K-1', 'WEST', 5, null)`;
	const res = await postEvents(node, [
		{ id: 'e1', type: 'count', sku: 'K-1', site: 'EAST', qty: 120, at: at(-10) },
		{ id: 'e2', type: 'po', sku: 'K-1', site: 'EAST', qty: 50, po: 'PO-EAST-1', eta: D(9), at: at(-10) },
		{ id: 'w1', type: 'shipment', sku: 'K-1', site: 'WEST', qty: 8, at: at(-5) },
		{ id: 'w2', type: 'po', sku: 'K-1', site: 'WEST', qty: 30, po: 'PO-WEST-7', eta: D(-3), at: at(-12) }
	]);
	expect(res.status).toBe(202);
	await waitForValue(async () => {
		const rows = await sql`select 1 from positions where sku = 'K-1'`;
		const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from position_dirty where dirty_since is not null`;
		return rows.length === 2 && n === 0;
	}, 20_000);
	page = await browser.newPage();
	await signIn(page, node, 'ops@test.local', 'pw-for-tests', '/skus/K-1');
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

describe('SKU page', () => {
	it('shows every site: on hand, inbound with ETAs (late marked), backorders with their age', async () => {
		const east = page.getByTestId('site-row-EAST');
		const west = page.getByTestId('site-row-WEST');
		expect(await east.getByTestId('onhand').textContent()).toBe('120');
		expect(await west.getByTestId('onhand').textContent()).toBe('0');
		const onTime = east.getByTestId('inbound-PO-EAST-1');
		expect(await onTime.textContent()).toContain(`ETA ${D(9)}`);
		expect(await onTime.getAttribute('data-late')).toBe('false');
		const late = west.getByTestId('inbound-PO-WEST-7');
		expect(await late.getAttribute('data-late')).toBe('true');
		expect(await late.getByTestId('late').textContent()).toContain('late');
		expect(await west.getByTestId('backorders').textContent()).toMatch(/8 ea\s*· 5 days old/);
		expect(await east.getByTestId('backorders').textContent()).toContain('none');
	});

	it('draws the ATP chart for the chosen site', async () => {
		const chart = page.getByTestId('atp-chart');
		// uPlot draws on a canvas; its legend names each series and shows the hovered day's values.
		await expect.poll(() => chart.locator('tr[data-series="atp"]').count()).toBe(1);
		expect(await chart.locator('tr[data-series="projected"]').count()).toBe(1);
		expect((await chart.locator('canvas').boundingBox())?.width).toBeGreaterThan(300);
		const label = await chart.locator('[role="img"]').getAttribute('aria-label');
		expect(label).toContain('K-1 at EAST: available to promise today');
		// Hovering today shows today's ATP, the figure the summary reads out.
		const plot = (await chart.locator('.u-over').boundingBox())!;
		await page.mouse.move(plot.x + 1, plot.y + plot.height / 2);
		const atpToday = /available to promise today (-?\d+)/.exec(label!)![1];
		await expect.poll(() => chart.locator('tr[data-series="atp"] .u-value').textContent({ timeout: 1000 })).toBe(Number(atpToday).toLocaleString('en-US'));
		expect(await chart.locator('tr[data-series="projected"] .u-value').textContent()).toMatch(/^-?[\d,]+$/);
		await page.getByRole('button', { name: 'WEST', exact: true }).click();
		await expect.poll(() => chart.locator('[role="img"]').getAttribute('aria-label')).toContain('K-1 at WEST');
		await page.getByRole('button', { name: 'EAST', exact: true }).click();
	});

	it('a signal recorded on the page shows as a dashed forecast line that the switch hides', async () => {
		const form = page.getByRole('form', { name: 'Record a demand signal' });
		await form.getByLabel('Signal site').selectOption('EAST');
		await form.getByLabel('Customer (optional)').fill('Acme');
		await form.getByLabel('Quantity').fill('60');
		await form.getByLabel('Per').selectOption('week');
		await form.getByRole('button', { name: 'Record signal' }).click();
		await expect.poll(() => page.getByTestId('signals').textContent()).toContain('Acme: ~60/week');
		const forecast = page.getByTestId('atp-chart').locator('tr[data-series="forecast"]');
		await expect.poll(() => forecast.count(), { timeout: 10_000 }).toBe(1);
		await page.getByLabel('Count forecast demand (signals)').uncheck();
		expect(await forecast.count()).toBe(0);
	});

	it('checks a promise across sites and changes the lifecycle stage with a reason', async () => {
		await page.getByLabel('Quantity', { exact: true }).first().fill('30');
		await page.getByRole('button', { name: 'Check every site' }).click();
		await expect.poll(() => page.getByTestId('promise-result').textContent()).toContain('EAST: yes');

		await page.getByLabel('New lifecycle stage').selectOption('decline');
		await page.getByLabel('Reason').fill('successor launches in spring');
		await page.getByRole('button', { name: 'Change stage' }).click();
		await expect.poll(() => page.getByTestId('lifecycle').textContent()).toBe('Decline');
		await expect.poll(() => page.getByTestId('activity-feed').textContent()).toContain('K-1 moved from mature to decline: successor launches in spring');
	});

	it('finds the SKU in the list by a piece of its name', async () => {
		await page.goto(`${node.url}/skus?q=gear`);
		expect(await page.getByTestId('sku-row-K-1').textContent()).toContain('Gear motor');
	});
});
