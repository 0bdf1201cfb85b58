// The list pages' filter bar: a choice lands in the URL (defaults left out), survives a reload, and
// a search keeps the sort order the list had.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from '../support/browser.ts';
import { postEvents } from '../support/node.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';
import { waitForValue } from '../support/wait.ts';

let node: SpawnedNode;
let browser: Browser;
let page: Page;
beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('filterbar'), launchChromium()]);
	await createUser(node.db, 'ops@test.local', 'ops');
	await postEvents(node, [
		{ id: 'f-1', type: 'count', sku: 'BOLT-1', site: 'WH', qty: 40, at: '2026-11-01T08:00:00Z' },
		{ id: 'f-2', type: 'count', sku: 'NUT-2', site: 'EAST', qty: 5, at: '2026-11-01T08:00:00Z' }
	]);
	await waitForValue(async () => (await node.db.sql`select 1 from positions where sku in ('BOLT-1', 'NUT-2')`).length === 2);
	page = await browser.newPage();
	await signIn(page, node, 'ops@test.local');
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

const query = () => Object.fromEntries(new URL(page.url()).searchParams);

describe('filter bar', () => {
	it('filters stock by site and search, in the URL and after a reload', async () => {
		const bar = page.getByRole('search', { name: 'Filter positions' });
		await bar.getByLabel('Site').selectOption('WH');
		await expect.poll(query).toEqual({ site: 'WH' });
		await expect.poll(() => page.getByTestId('position-NUT-2-EAST').count()).toBe(0);
		await bar.getByLabel('Search SKU or name').fill('BOLT');
		await bar.getByLabel('Search SKU or name').press('Enter');
		await expect.poll(query).toEqual({ site: 'WH', q: 'BOLT' });
		await page.reload();
		expect(await bar.getByLabel('Site').inputValue()).toBe('WH');
		expect(await bar.getByLabel('Search SKU or name').inputValue()).toBe('BOLT');
		expect(await page.getByTestId('position-BOLT-1-WH').count()).toBe(1);
	});

	it('keeps the alert status it starts from and adds the severity picked', async () => {
		await page.goto(`${node.url}/alerts`);
		await page.getByTestId('filter-severity').selectOption('critical');
		await expect.poll(query).toEqual({ status: 'live', severity: 'critical' });
		await page.reload();
		expect(await page.getByTestId('filter-severity').inputValue()).toBe('critical');
	});

	it('searches SKUs without losing the sort, and leaves defaults out of the URL', async () => {
		await page.goto(`${node.url}/skus?sort=name&dir=desc`);
		const bar = page.getByRole('search', { name: 'Filter SKUs' });
		await bar.getByLabel('Search SKU or name').fill('NUT');
		await bar.getByRole('button', { name: 'Search' }).click();
		await expect.poll(query).toEqual({ q: 'NUT', sort: 'name', dir: 'desc' });
		await expect.poll(() => page.getByTestId('sku-row-BOLT-1').count()).toBe(0);
		expect(await page.getByTestId('sku-row-NUT-2').count()).toBe(1);
		await page.goto(`${node.url}/skus`);
		await page.getByRole('search', { name: 'Filter SKUs' }).getByLabel('Site').selectOption('EAST');
		await expect.poll(query).toEqual({ site: 'EAST' });
	});
});
