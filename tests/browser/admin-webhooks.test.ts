// The webhooks admin page: create a hook (its secret shown once), a refused URL explained, a paused
// hook showing why, and resuming it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from '../support/browser.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';

let node: SpawnedNode;
let browser: Browser;
let rx: Receiver;
beforeAll(async () => {
	rx = await startReceiver();
	[node, browser] = await Promise.all([spawnTestNode('adminhooks', { WEBHOOK_ALLOW_HOSTS: '127.0.0.1' }), launchChromium()]);
	await createUser(node.db, 'admin@test.local', 'admin');
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
	await rx?.close();
});

describe('webhooks page', () => {
	it('creates a hook, refuses a metadata URL, shows why a hook paused and resumes it', async () => {
		const page = await browser.newPage();
		await signIn(page, node, 'admin@test.local', 'pw-for-tests', '/admin/webhooks');
		await page.getByLabel('URL').fill('http://169.254.169.254/latest/meta-data');
		await page.getByRole('button', { name: 'Create webhook' }).click();
		await expect.poll(() => page.getByText(/url refused/).count()).toBeGreaterThan(0);

		await page.getByLabel('URL').fill(`${rx.url}/slack`);
		await page.getByLabel('Format').selectOption('slack');
		await page.getByLabel('Minimum severity').selectOption('critical');
		await page.getByLabel('commitment_short').check();
		await page.getByRole('button', { name: 'Create webhook' }).click();
		await expect.poll(() => page.getByTestId('one-time-secret').textContent()).toMatch(/^[A-Za-z0-9_-]{24,}$/);
		const card = page.locator('[data-testid^="webhook-"]');
		await expect.poll(() => card.count()).toBe(1);
		expect(await card.textContent()).toContain('commitment_short · every site');
		expect(await card.getByText('live', { exact: true }).count()).toBe(1);

		await node.db.sql`update webhooks set paused_at = now(), paused_reason = 'paused after 20 consecutive failed attempts; last: HTTP 503', consecutive_failures = 20`;
		await page.reload();
		expect(await card.getByRole('alert').textContent()).toContain('paused after 20 consecutive failed attempts; last: HTTP 503');
		await card.getByRole('button', { name: 'Resume' }).click();
		await expect.poll(() => card.getByRole('alert').count()).toBe(0);
		expect(await card.getByText('live', { exact: true }).count()).toBe(1);
		await page.close();
	});
});
