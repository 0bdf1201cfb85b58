// Live alert toasts on an ops page and a wall screen, acknowledged from the toast; a page whose socket
// is cut catches up exactly; the wall at 1080p and 4K. Against the real server in a child process.
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrangeSlip, D, displayToken, liveAlerts, postCommitment, sessionCookie, settled } from '../support/alerts.ts';
import { launchChromium, signIn } from '../support/browser.ts';
import { waitForValue } from '../support/wait.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
let ops: string;
let token: string;
const contexts: BrowserContext[] = [];

/** Records, in the page, when each alert toast first appeared (epoch ms): the latency the user sees. */
async function recordToasts(page: Page): Promise<void> {
	await page.addInitScript(() => {
		const seen: Record<string, number> = ((window as unknown as { __toastSeen: Record<string, number> }).__toastSeen = {});
		new MutationObserver(() => {
			for (const el of document.querySelectorAll('[data-testid=alert-toast]')) seen[el.getAttribute('data-alert-id')!] ??= Date.now();
		}).observe(document, { subtree: true, childList: true });
	});
}
const toastSeenAt = (page: Page, id: string) => page.evaluate((i) => (window as unknown as { __toastSeen: Record<string, number> }).__toastSeen[i], id);

const toasts = (page: Page, severity?: string) => page.locator(`[data-testid=alert-toast]${severity ? `[data-severity=${severity}]` : ''}`);

async function opsPage(context?: BrowserContext, path = '/alerts'): Promise<Page> {
	const ctx = context ?? (await browser.newContext({ viewport: { width: 1440, height: 900 } }));
	if (!context) contexts.push(ctx);
	const page = await ctx.newPage();
	await recordToasts(page);
	// Every WebSocket the page opens, so a test can cut them like a dropped Wi-Fi would.
	await page.addInitScript(() => {
		const w = window as unknown as { __ws: WebSocket[]; __frames: string[] };
		w.__ws = [];
		// What arrived, so a test can wait for a message before asserting what the page did not show.
		w.__frames = [];
		const Native = window.WebSocket;
		window.WebSocket = class extends Native {
			constructor(url: string | URL, protocols?: string | string[]) {
				super(url, protocols);
				w.__ws.push(this);
				this.addEventListener('message', (e) => typeof e.data === 'string' && w.__frames.push(e.data));
			}
		};
	});
	if (context) await page.goto(`${node.url}${path}`);
	else await signIn(page, node, 'ops@test.local', 'pw-for-tests', path);
	await expect.poll(() => page.getByTestId('toast-feed').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
	return page;
}

async function wallPage(width: number, height: number): Promise<Page> {
	const ctx = await browser.newContext({ viewport: { width, height } });
	contexts.push(ctx);
	const page = await ctx.newPage();
	await recordToasts(page);
	await page.goto(`${node.url}/wall/main?token=${token}&rotate=600`);
	await expect.poll(() => page.getByTestId('wall-connection').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
	return page;
}

beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('wallalerts', { SWEEP_AFTER_SECONDS: '1', SWEEP_EVERY_MS: '300' }), launchChromium()]);
	await createUser(node.db, 'ops@test.local', 'ops');
	ops = await sessionCookie(node, 'ops@test.local');
	token = await displayToken(node.db, 'lobby wall');
	mkdirSync('test-results', { recursive: true });
});
afterAll(async () => {
	for (const c of contexts) await c.close().catch(() => {});
	await browser?.close();
	await node?.stop();
});

describe('alert toasts', () => {
	it('shows a new critical alert on an ops page and on a wall within a second; acknowledging it from the toast clears it everywhere', async () => {
		const { slip } = await arrangeSlip(node, ops, 'A1');
		const [app, wall] = await Promise.all([opsPage(), wallPage(1920, 1080)]);

		const t0 = Date.now();
		expect((await slip()).status).toBe(202);
		await Promise.all([toasts(app, 'critical').waitFor({ timeout: 5000 }), toasts(wall, 'critical').waitFor({ timeout: 5000 })]);
		const [critical] = (await liveAlerts(node.db, 'A1')).filter((a) => a.severity === 'critical');
		const latency = [(await toastSeenAt(app, critical.id)) - t0, (await toastSeenAt(wall, critical.id)) - t0];
		console.log(`event POST → critical toast shown: ops page ${latency[0]} ms, wall ${latency[1]} ms`);
		for (const ms of latency) expect(ms).toBeLessThan(1000);
		await expect.poll(() => wall.getByTestId('critical-strip').isVisible()).toBe(true);
		expect(await toasts(app, 'critical').getAttribute('data-alert-id')).toBe(critical.id);
		await expect(toasts(app, 'critical').textContent()).resolves.toContain('Commitment C-A1');

		await app.screenshot({ path: 'test-results/ops-toasts.png' });
		await toasts(app, 'critical').getByRole('button', { name: 'Acknowledge' }).click();
		await toasts(wall, 'critical').waitFor({ state: 'detached', timeout: 5000 });
		await wall.getByTestId('critical-strip').waitFor({ state: 'detached', timeout: 5000 });
		await toasts(app, 'critical').waitFor({ state: 'detached', timeout: 5000 });
		const [row] = await node.db.sql`select status, acknowledged_by, acknowledged_at from alerts where id = ${critical.id}`;
		expect(row).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ops@test.local' });
		expect(row.acknowledgedAt).toBeInstanceOf(Date);
		await app.context().close();
	});

	it('shows each toast once across tabs of the same person', async () => {
		const { slip } = await arrangeSlip(node, ops, 'B1');
		const first = await opsPage(undefined, '/stock');
		const second = await opsPage(first.context(), '/alerts');
		await slip();
		await waitForValue(async () => (await toasts(second).count()) === 3, 5000);
		// The first tab has received all three alerts too; it shows none of them.
		const ids = (await liveAlerts(node.db, 'B1')).map((a) => a.id);
		await expect.poll(() => first.evaluate((want) => want.every((id) => (window as unknown as { __frames: string[] }).__frames.some((f) => f.includes(id))), ids), { timeout: 5000 }).toBe(true);
		expect(await toasts(first).count()).toBe(0);
		// Closing it in one tab closes it for the person: the other tab, brought forward, does not show it again.
		await toasts(second, 'critical').getByRole('button', { name: 'Close' }).click();
		await first.bringToFront();
		await first.evaluate(() => window.dispatchEvent(new Event('focus')));
		await waitForValue(async () => (await toasts(first).count()) === 2, 5000);
		expect(await toasts(first, 'critical').count()).toBe(0);
		await first.context().close();
	});

	it('a page whose socket was cut while three alerts opened shows all three once it reconnects, once each', async () => {
		const { slip } = await arrangeSlip(node, ops, 'C1');
		const page = await opsPage();
		await page.context().setOffline(true);
		await page.evaluate(() => (window as unknown as { __ws: WebSocket[] }).__ws.forEach((ws) => ws.close()));
		await expect.poll(() => page.getByTestId('connection').getAttribute('data-state')).toBe('disconnected');

		await slip();
		await settled(node.db);
		const opened = await liveAlerts(node.db, 'C1');
		expect(opened).toHaveLength(3);
		// Committed and still cut off: nothing can have reached the page.
		expect(await page.getByTestId('connection').getAttribute('data-state')).toBe('disconnected');
		expect(await toasts(page).count()).toBe(0);

		await page.context().setOffline(false);
		const ids = opened.map((a) => a.id).sort();
		const shown = async (selector: string) => (await page.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('data-alert-id')))).filter((id) => ids.includes(id!)).sort();
		await waitForValue(async () => (await shown('[data-testid=alert-toast]')).length >= 3 && (await shown('[data-testid=alert-row]')).length >= 3, 30_000);
		// Replayed and live again: a second copy of any of them would have come before this.
		await expect.poll(() => page.getByTestId('toast-feed').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
		await expect.poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
		expect(await shown('[data-testid=alert-toast]')).toEqual(ids);
		expect(await shown('[data-testid=alert-row]')).toEqual(ids);
		await page.context().close();
	});
});

describe('wall screens', () => {
	beforeAll(async () => {
		// Enough on the board for every panel: shipments today and tomorrow, a handoff note.
		for (const [id, customer, sku, qty, day] of [['W1', 'Globex', 'A1', 5, 0], ['W2', 'Initech', 'B1', 8, 0], ['W3', 'Umbrella', 'C1', 3, 1]] as const) {
			await postCommitment(node, ops, { id, customer, sku, qty, requestedDate: D(day), promisedDate: D(day), site: 'S', status: 'confirmed' });
		}
		const res = await fetch(`${node.url}/api/handoff/S`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie: ops, origin: node.url }, body: JSON.stringify({ body: 'PO-C1 slipped to next week: call Umbrella before noon. Dock 3 door fixed.' }) });
		expect(res.status).toBe(200);
		await settled(node.db);
	});

	for (const [label, width, height, rem, panels] of [
		['1080p', 1920, 1080, 24, ['alerts']],
		['4k', 3840, 2160, 36, ['alerts', 'commitments']]
	] as const) {
		it(`lays out at ${width}×${height} with large type, the clock, the KPIs and its panels`, async () => {
			const page = await wallPage(width, height);
			expect(await page.getByTestId('wall').getAttribute('data-layout')).toBe(label);
			expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(`${rem}px`);
			for (const id of [...panels, 'kpis']) expect(await page.locator(`[data-panel=${id}]`).isVisible()).toBe(true);
			expect(await page.locator('[data-kpi]').count()).toBe(4);
			await expect(page.getByTestId('wall-clock').textContent()).resolves.toMatch(/^\d{2}:\d{2}:\d{2}$/);
			await expect(page.getByTestId('wall-updated').textContent()).resolves.toMatch(/updated \d+s ago/);
			expect(await page.getByTestId('critical-strip').isVisible()).toBe(true);
			// Everything fits: nothing scrolls on a screen nobody can scroll.
			expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1)).toBe(true);
			await page.screenshot({ path: `test-results/wall-${label}.png` });
		});
	}

	it('rotates through the other panels', async () => {
		const page = await wallPage(1920, 1080);
		await page.goto(`${node.url}/wall/main?token=${token}&rotate=3`);
		for (const id of ['commitments', 'shipments', 'handoff']) await page.locator(`[data-panel=${id}]`).waitFor({ timeout: 8000 });
		await expect(page.locator('[data-panel=handoff]').textContent()).resolves.toContain('call Umbrella');
	});

	it('refuses a wall with a revoked or non-display token', async () => {
		const ctx = await browser.newContext();
		contexts.push(ctx);
		const page = await ctx.newPage();
		const res = await page.goto(`${node.url}/wall/main?token=pb_display_forged`);
		expect(res?.status()).toBe(401);
		expect(await page.textContent('body')).toContain('display token is not valid');
	});
});
