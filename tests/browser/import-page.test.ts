// CSV import through the app: upload, a preview that names every bad row and field with nothing
// written, then the fixed file checked and imported in one go.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from '../support/browser.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('importpage'), launchChromium()]);
	await createUser(node.db, 'admin@test.local', 'admin');
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

const file = (body: string) => ({ name: 'sites.csv', mimeType: 'text/csv', buffer: Buffer.from(body) });

describe('import page', () => {
	it('previews every bad row and field, writes nothing, then imports the fixed file', async () => {
		const page = await browser.newPage();
		await signIn(page, node, 'admin@test.local', 'pw-for-tests', '/import');
		await page.getByLabel('What to import').selectOption('sites');
		await page.getByLabel('CSV file').setInputFiles(file('code,name,time_zone\nEAST,East DC,Mars/Olympus\nWEST,,UTC\nNORTH,North DC,UTC\n'));
		await page.getByRole('button', { name: 'Check file' }).click();
		const report = page.getByTestId('import-report');
		await expect.poll(() => report.textContent()).toContain('2 bad rows of 3');
		const problems = await page.getByTestId('problem').allTextContents();
		expect(problems).toEqual([expect.stringMatching(/^12time_zoneunknown time zone$/), expect.stringMatching(/^23nameis required$/)]);
		expect(await page.getByRole('button', { name: /^Import/ }).count()).toBe(0);
		const [{ n }] = await node.db.sql<{ n: number }[]>`select count(*)::int as n from sites`;
		expect(n).toBe(0);

		await page.getByLabel('CSV file').setInputFiles(file('code,name,time_zone\nEAST,East DC,America/New_York\nWEST,West DC,UTC\nNORTH,North DC,UTC\n'));
		await page.getByRole('button', { name: 'Check file' }).click();
		await expect.poll(() => report.textContent()).toContain('All 3 rows are good.');
		await page.getByRole('button', { name: 'Import 3 rows' }).click();
		await expect.poll(() => report.textContent()).toContain('3 rows written.');
		const rows = await node.db.sql<{ code: string; timeZone: string }[]>`select code, time_zone from sites order by code`;
		expect(rows.map((r) => `${r.code} ${r.timeZone}`)).toEqual(['EAST America/New_York', 'NORTH UTC', 'WEST UTC']);
		await page.close();
	});
});
