// One browser tab, one Socket.IO connection: the stock table's live positions and the person's alert
// toasts share it. Real server in a child process, headless Chromium.
import { waitForValue } from '../support/wait.ts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrangeSlip, sessionCookie } from '../support/alerts.ts';
import { launchChromium, signIn } from '../support/browser.ts';
import { postEvents } from '../support/node.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
let ops: string;

beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('onesocket'), launchChromium()]);
	await createUser(node.db, 'ops@test.local', 'ops');
	ops = await sessionCookie(node, 'ops@test.local');
	await postEvents(node, { id: 'one-seed', type: 'count', sku: 'ONE-1', site: 'S', qty: 40, at: '2026-11-01T08:00:00Z' });
	await waitForValue(async () => (await node.db.sql`select 1 from positions where sku = 'ONE-1' and site = 'S' and on_hand = 40`).length === 1);
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

/** Every Socket.IO WebSocket the page opens, counted by the browser itself. */
function countSockets(page: Page): { urls: string[] } {
	const seen = { urls: [] as string[] };
	page.on('websocket', (ws) => {
		if (new URL(ws.url()).pathname.startsWith('/socket.io')) seen.urls.push(ws.url());
	});
	return seen;
}

describe('one socket per tab', () => {
	it('shows live stock and alert toasts over exactly one Socket.IO connection, also after moving to /alerts', async () => {
		const { slip } = await arrangeSlip(node, ops, 'ONE-A');
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		const sockets = countSockets(page);
		await signIn(page, node, 'ops@test.local', 'pw-for-tests', '/stock');
		await expect.poll(() => page.getByTestId('toast-feed').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
		await expect.poll(() => page.getByTestId('connection').getAttribute('data-state')).toBe('connected');

		// Stock: a POSTed event changes the number on screen.
		const cell = page.getByTestId('position-ONE-1-S').getByTestId('onhand');
		await expect.poll(() => cell.textContent()).toBe('40');
		expect((await postEvents(node, { id: 'one-live', type: 'receipt', sku: 'ONE-1', site: 'S', qty: 5, at: '2026-11-01T09:00:00Z' })).status).toBe(202);
		await expect.poll(() => cell.textContent(), { timeout: 10_000 }).toBe('45');

		// Toasts: the slip opens a critical alert, toasted on this same page.
		expect((await slip()).status).toBe(202);
		await page.locator('[data-testid=alert-toast][data-severity=critical]').waitFor({ timeout: 10_000 });
		expect(sockets.urls).toHaveLength(1);

		// Client-side navigation to the alert centre keeps the tab's socket; its list is live too.
		await page.getByRole('link', { name: 'Alerts' }).first().click();
		await page.waitForURL(/\/alerts/);
		await expect.poll(() => page.getByTestId('connection').getAttribute('data-state')).toBe('connected');
		expect(sockets.urls).toHaveLength(1);
		await page.close();
	});
});
