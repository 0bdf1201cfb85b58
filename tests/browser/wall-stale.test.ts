// A wall screen left alone: when the server goes away it says so within two missed heartbeats, and
// when the server returns it reconnects by itself (jittered backoff) and the banner clears.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayToken } from '../support/alerts.ts';
import { launchChromium } from '../support/browser.ts';
import { spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
let page: Page;
const HEARTBEAT_MS = 1000;

beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('wallstale', { HEARTBEAT_MS: String(HEARTBEAT_MS) }), launchChromium()]);
	const token = await displayToken(node.db);
	page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
	await page.goto(`${node.url}/wall/main?token=${token}`);
	await page.locator('[data-testid=wall-connection][data-state=connected]').waitFor({ timeout: 10_000 });
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

const banner = () => page.getByTestId('stale-banner');

describe('a wall whose server goes away', () => {
	it('stays quiet while heartbeats arrive', async () => {
		await new Promise((r) => setTimeout(r, 4 * HEARTBEAT_MS));
		expect(await banner().count()).toBe(0);
	});

	it('shows the stale banner after two missed heartbeats and clears it when the server is back', async () => {
		const stoppedAt = Date.now();
		await node.kill('SIGTERM');
		await banner().waitFor({ timeout: 10_000 });
		const shownAfter = Date.now() - stoppedAt;
		console.log(`stale banner shown ${shownAfter} ms after the server stopped (heartbeat every ${HEARTBEAT_MS} ms)`);
		// Two beats plus slack, never a blip: a stale screen is obvious within seconds, not minutes.
		expect(shownAfter).toBeGreaterThanOrEqual(HEARTBEAT_MS);
		expect(shownAfter).toBeLessThan(6 * HEARTBEAT_MS);
		await expect(banner().textContent()).resolves.toContain('NOT LIVE');
		expect(await page.getByTestId('wall-connection').getAttribute('data-state')).toBe('disconnected');
		await page.screenshot({ path: 'test-results/wall-stale.png' });

		await node.restart();
		const restartedAt = Date.now();
		await banner().waitFor({ state: 'detached', timeout: 30_000 });
		console.log(`stale banner cleared ${Date.now() - restartedAt} ms after the server was back`);
		expect(await page.getByTestId('wall-connection').getAttribute('data-state')).toBe('connected');
		// The page reconnected in place: no reload was needed.
		expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
	});
});
