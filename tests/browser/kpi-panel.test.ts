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
			// A month of history drawn by uPlot (canvas): at least 21 measured days.
			const spark = tile.getByTestId('sparkline');
			expect(Number(await spark.getAttribute('data-points')), key).toBeGreaterThanOrEqual(21);
			await expect.poll(() => spark.locator('canvas').count(), { message: key }).toBe(1);
		}
		expect(await panel.getByTestId('kpi-fillRate').getByTestId('kpi-value').textContent()).toMatch(/^\d+%$/);
		// One site's figures.
		await page.getByLabel('Site').selectOption('EAST');
		await page.waitForURL((u) => u.searchParams.get('site') === 'EAST');
		const stockouts = panel.getByTestId('kpi-stockouts');
		await expect.poll(() => stockouts.getByTestId('sparkline').getAttribute('aria-label')).toMatch(/^Stockouts: \d+ to \d+ over 30 days$/);
		// Hovering the line reads out that day's value, — where nothing was measured (moved again each try:
		// live data may redraw it). The first tile's, on the left: alert toasts may cover the right side.
		const fillRate = panel.getByTestId('kpi-fillRate');
		const hover = async (at: 'first' | 'last', nudge: number) => {
			const box = await fillRate.getByTestId('sparkline').boundingBox();
			if (!box) return null;
			// The plot sits 3 px inside the sparkline's box (uPlot padding).
			await page.mouse.move(at === 'first' ? box.x + 4 + nudge : box.x + box.width - 5 - nudge, box.y + box.height / 2);
			return fillRate.getByTestId('sparkline-value').textContent({ timeout: 300 }).catch(() => null);
		};
		let nudge = 0;
		await expect.poll(() => hover('last', (nudge ^= 1)), { timeout: 5000 }).toMatch(/^(\d+%|—) · today$/);
		await expect.poll(() => hover('first', (nudge ^= 1)), { timeout: 5000 }).toMatch(/^(\d+%|—) · 29 d ago$/);
		await page.close();
	});
});
