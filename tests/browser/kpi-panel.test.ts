// The home page's KPI panel against the demo data set (DEMO=1): every figure with its sparkline.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from '../support/browser.ts';
import { spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('kpipanel', { DEMO: '1' }), launchChromium()]);
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

describe('KPI panel', () => {
	it('renders every KPI with today and a month of history from the demo set', async () => {
		const page = await browser.newPage();
		await signIn(page, node, 'ops@demo.local', 'demo', '/');
		const panel = page.getByTestId('kpi-panel');
		expect(await panel.getByRole('heading', { name: /Key figures/ }).textContent()).toContain('last 30 days');
		for (const key of ['fillRate', 'otif', 'atRisk', 'short', 'stockouts', 'lateInbound', 'backorderAgeDays']) {
			const tile = panel.getByTestId(`kpi-${key}`);
			expect(await tile.getByTestId('kpi-value').textContent(), key).toMatch(/^(\d+(%| d)?|—)$/);
			expect(await tile.locator('svg[data-testid="sparkline"] path').getAttribute('d'), key).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){20,}/);
		}
		expect(await panel.getByTestId('kpi-fillRate').getByTestId('kpi-value').textContent()).toMatch(/^\d+%$/);
		// One site's figures.
		await page.getByLabel('Site').selectOption('EAST');
		await page.waitForURL((u) => u.searchParams.get('site') === 'EAST');
		expect(await panel.getByTestId('kpi-stockouts').locator('svg[data-testid="sparkline"]').getAttribute('aria-label')).toMatch(/^Stockouts: \d+ to \d+ over 30 days$/);
		await page.close();
	});
});
