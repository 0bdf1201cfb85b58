// The API reference at /api/docs renders in Chromium under its CSP, from this server alone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { startTestNode, type TestNode } from '../support/node.ts';

let node: TestNode;
let browser: Browser;
beforeAll(async () => {
	// The page needs no SvelteKit build: an in-process API node serves it.
	[node, browser] = await Promise.all([startTestNode('apidocs'), launchChromium()]);
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

describe('/api/docs', () => {
	it('lists every operation with no CSP violation and no request leaving the server', async () => {
		const page = await browser.newPage();
		const violations: string[] = [];
		const foreign: string[] = [];
		page.on('console', (m) => {
			if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
		});
		page.on('request', (r) => {
			if (!r.url().startsWith(node.url) && !r.url().startsWith('data:')) foreign.push(r.url());
		});
		await page.addInitScript(() => {
			document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to load: ${e.violatedDirective} ${e.blockedURI}`));
		});
		await page.goto(`${node.url}/api/docs`);
		await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
		expect(await page.locator('.info .title').textContent()).toContain('Promiseboard API');
		expect(await page.locator('.opblock').count()).toBeGreaterThan(45);
		await page.getByText('/api/admin/webhooks/{id}/deliveries').first().click();
		await page.getByText('Delivery log: each delivery').first().waitFor();
		expect(violations).toEqual([]);
		expect(foreign).toEqual([]);
		await page.close();
	});
});
