// An admin makes a board of some sites, re-scopes it, and gives a wall screen a display token for it,
// all through the admin pages; the token then opens that board's wall and no other.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from '../support/browser.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;

beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('adminboards'), launchChromium()]);
	await createUser(node.db, 'admin@test.local', 'admin');
	await node.db.sql`insert into sites (code, name) values ('A', 'Site A'), ('B', 'Site B'), ('C', 'Site C')`;
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

describe('the boards admin page', () => {
	it('creates a board of some sites, re-scopes it, and binds a display token to it', async () => {
		const page = await browser.newPage();
		await signIn(page, node, 'admin@test.local', undefined, '/admin/boards');
		await expect.poll(() => page.getByTestId('board-main').textContent()).toContain('every site');

		await page.getByLabel('Id').fill('north');
		await page.getByLabel('Name').fill('North region');
		await page.getByRole('checkbox', { name: 'A' }).check();
		await page.getByRole('button', { name: 'Create board' }).click();
		await expect.poll(() => page.getByTestId('board-north').textContent()).toContain('North region');
		expect(await node.db.sql`select sites from boards where id = 'north'`).toEqual([{ sites: ['A'] }]);

		await page.getByTestId('board-north').getByRole('button', { name: 'Edit' }).click();
		await page.getByTestId('board-north').getByRole('checkbox', { name: 'C' }).check();
		await page.getByTestId('board-north').getByRole('button', { name: 'Save' }).click();
		await expect.poll(async () => (await node.db.sql`select sites from boards where id = 'north'`)[0].sites).toEqual(['A', 'C']);
		await expect.poll(() => page.getByTestId('board-north').textContent()).toContain('C');

		await page.goto(`${node.url}/admin/tokens`);
		await page.getByLabel('Name').fill('North TV');
		await page.getByLabel('Board').selectOption('north');
		await page.getByRole('button', { name: 'Create token' }).click();
		const token = (await page.getByTestId('one-time-secret').textContent()) ?? '';
		expect(token).toMatch(/^pb_display_/);
		await expect.poll(() => page.getByTestId('token-North TV').textContent()).toContain('north');
		await page.close();

		const wall = await browser.newPage();
		expect((await wall.goto(`${node.url}/wall/north?token=${token}`))?.status()).toBe(200);
		const other = await wall.goto(`${node.url}/wall/main?token=${token}`);
		expect(other?.status()).toBe(403);
		expect(await wall.textContent('body')).toContain('belongs to another board');
		await wall.close();
	});
});
