import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from '../support/browser.ts';
import { postEvents } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('stocklive'), launchChromium()]);
	await createUser(node.db, 'ops@test.local', 'ops');
	await postEvents(node, { id: 'seed-1', type: 'count', sku: 'LIVE-1', site: 'WH', qty: 40, at: '2026-11-01T08:00:00Z' });
	await waitForValue(async () => {
		const [row] = await node.db.sql`select on_hand from positions where sku = 'LIVE-1' and site = 'WH'`;
		return row?.onHand === 40;
	});
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

describe('stock page', () => {
	it('shows an on-hand change from a POSTed event without a reload', async () => {
		const page = await browser.newPage();
		await signIn(page, node, 'ops@test.local');
		const cell = page.getByTestId('position-LIVE-1-WH').getByTestId('onhand');
		await expect.poll(() => cell.textContent()).toBe('40');
		await expect.poll(() => page.getByTestId('connection').getAttribute('data-state')).toBe('connected');
		let navigations = 0;
		page.on('framenavigated', () => navigations++);

		const res = await postEvents(node, { id: 'live-1', type: 'receipt', sku: 'LIVE-1', site: 'WH', qty: 15, at: '2026-11-01T09:00:00Z' });
		expect(res.status).toBe(202);
		await expect.poll(() => cell.textContent(), { timeout: 5000 }).toBe('55');
		expect(navigations).toBe(0);
		await page.close();
	});

	it('sends a signed-out visitor to the sign-in page', async () => {
		const page = await browser.newPage();
		await page.goto(`${node.url}/stock`);
		expect(new URL(page.url()).pathname).toBe('/login');
		await page.close();
	});
});
