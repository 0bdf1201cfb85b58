// The commitment board in Chromium: two pages, signed in as sales and as ops, on one board.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/core/dates.ts';
import { launchChromium, signIn } from '../support/browser.ts';
import { postEvents } from '../support/node.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
let sales: Page;
let ops: Page;
let cardId = '';
const today = new Date().toISOString().slice(0, 10);
const D = (n: number) => addDays(today, n);
const now = () => new Date().toISOString();

/** A page that may reach the board's Y.Doc (window.__pbBoard), as a crafted client would. */
async function boardPage(email: string): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	await page.addInitScript(() => ((window as unknown as { __pbTestHooks: boolean }).__pbTestHooks = true));
	await signIn(page, node, email, undefined, '/board');
	await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 10_000 });
	return page;
}
const card = (page: Page, text = 'Acme Browser') => page.getByTestId('board-card').filter({ hasText: text });

beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('boardui'), launchChromium()]);
	await createUser(node.db, 'sales@test.local', 'sales');
	await createUser(node.db, 'ops@test.local', 'ops');
	await node.db.sql`insert into sites (code, name) values ('WEST', 'West DC'), ('EAST', 'East DC')`;
	await node.db.sql`insert into skus (code, name, lead_time_days) values ('BRD-1', 'Board widget', 30)`;
	await postEvents(node, [
		{ id: 'w-count', type: 'count', sku: 'BRD-1', site: 'WEST', qty: 100, at: now() },
		{ id: 'e-count', type: 'count', sku: 'BRD-1', site: 'EAST', qty: 0, at: now() },
		{ id: 'e-po', type: 'po', sku: 'BRD-1', site: 'EAST', qty: 80, po: 'PO-E', eta: D(8), at: now() }
	]);
	[sales, ops] = await Promise.all([boardPage('sales@test.local'), boardPage('ops@test.local')]);
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

describe('the commitment board, sales and ops together', () => {
	it('sales creates a commitment with the promise check inline, and ops sees it within a second', async () => {
		await sales.getByRole('button', { name: 'New commitment' }).click();
		const form = sales.getByRole('form', { name: 'New commitment' });
		await form.getByLabel('Customer').fill('Acme Browser');
		await form.getByLabel('SKU').fill('BRD-1');
		await form.getByLabel('Quantity').fill('40');
		await form.getByLabel('Requested date').fill(D(3));
		const hint = form.getByTestId('promise-check');
		await expect.poll(() => hint.textContent(), { timeout: 5000 }).toMatch(/^\s*40 by the \d+(st|nd|rd|th).*: yes from WEST; EAST only from the \d+/);
		console.log('promise check:', (await hint.textContent())?.trim());

		// Timed inside the pages (one machine, one clock): Playwright's own polling would add its delays.
		const seen = ops.evaluate(
			() =>
				new Promise<number>((resolve) => {
					const found = () => [...document.querySelectorAll('[data-testid="board-card"]')].some((el) => el.textContent?.includes('Acme Browser'));
					new MutationObserver((_, observer) => found() && (observer.disconnect(), resolve(Date.now()))).observe(document.body, { childList: true, subtree: true, characterData: true });
				})
		);
		const clickedAt = await form.getByRole('button', { name: 'Create commitment' }).evaluate((button: HTMLButtonElement) => (button.click(), Date.now()));
		const latency = (await seen) - clickedAt;
		console.log(`ops saw the new card ${latency} ms after sales clicked Create`);
		expect(latency).toBeLessThan(1000);
		cardId = (await card(ops).getAttribute('data-card-id')) ?? '';
		expect(cardId).toMatch(/^c-/);
		expect(await ops.getByTestId('lane-requested').getByText('Acme Browser').count()).toBe(1);
	});

	it('ops confirms a date and sales sees it', async () => {
		await card(ops).click();
		const editor = ops.getByTestId('card-editor');
		await editor.getByLabel('Promised date').fill(D(4));
		await editor.getByLabel('Ship-from site').selectOption('WEST');
		await ops.getByRole('button', { name: /^Confirm for/ }).click();
		await expect.poll(() => card(sales).getAttribute('data-promised')).toBe(D(4));
		await expect.poll(() => sales.getByTestId('lane-confirmed').getByText('Acme Browser').count()).toBe(1);
		await expect.poll(() => card(sales).getAttribute('data-risk'), { timeout: 5000 }).toBe('ok');
	});

	it('both type in the notes at once and the text converges; presence shows on the card', async () => {
		await card(sales).click();
		const [salesNotes, opsNotes] = [sales.getByTestId('notes'), ops.getByTestId('notes')];
		await salesNotes.focus();
		await opsNotes.focus();
		await expect.poll(() => ops.getByTestId('card-presence').textContent()).toMatch(/sales/);
		const [mine, theirs] = ['sales words. ', 'ops words. '];
		await Promise.all([salesNotes.pressSequentially(mine, { delay: 15 }), opsNotes.pressSequentially(theirs, { delay: 15 })]);
		await expect.poll(async () => (await salesNotes.inputValue()) === (await opsNotes.inputValue()) && (await salesNotes.inputValue()).length === mine.length + theirs.length).toBe(true);
		const text = await salesNotes.inputValue();
		console.log('converged notes:', JSON.stringify(text));
		// Each person's words stay whole: typing at the same spot does not interleave letters.
		expect(text).toContain(mine);
		expect(text).toContain(theirs);
		await expect.poll(async () => (await node.db.sql`select notes from commitments where id = ${cardId}`)[0]?.notes).toBe(text);
	});

	it("refuses sales's crafted change of the promised date before ops sees it, with a visible message, and sales's page starts over", async () => {
		const seenByOps = await ops.evaluate((id) => {
			const w = window as unknown as { __pbBoard: { doc: import('yjs').Doc }; __pbSeen: unknown[] };
			w.__pbSeen = [];
			w.__pbBoard.doc.on('update', () => w.__pbSeen.push((w.__pbBoard.doc.getMap('commitments').get(id) as import('yjs').Map<unknown>).get('promisedDate')));
			return w.__pbSeen.length;
		}, cardId);
		expect(seenByOps).toBe(0);
		await sales.evaluate((id) => {
			const doc = (window as unknown as { __pbBoard: { doc: import('yjs').Doc } }).__pbBoard.doc;
			(doc.getMap('commitments').get(id) as import('yjs').Map<unknown>).set('promisedDate', '2031-01-01');
		}, cardId);
		const notice = sales.getByTestId('board-notice');
		await expect.poll(() => notice.textContent()).toMatch(/sales may not change promisedDate; ops owns it/);
		await expect.poll(() => card(sales).getAttribute('data-promised')).toBe(D(4));
		await expect.poll(() => card(ops).getAttribute('data-promised')).toBe(D(4));
		expect(await sales.getByTestId('card-editor').getByLabel('Promised date').textContent()).toContain(D(4));
		const [row] = await node.db.sql`select promised_date from commitments where id = ${cardId}`;
		expect(row.promisedDate).toBe(D(4));
		await expect.poll(() => sales.getByTestId('card-history').textContent(), { timeout: 5000 }).toMatch(/edit refused: .*sales may not change promisedDate/);
		expect(await ops.evaluate(() => (window as unknown as { __pbSeen: unknown[] }).__pbSeen)).not.toContain('2031-01-01');
		await sales.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 10_000 });
	});

	it('turns the card red with the short quantity and earliest date when an event makes it short, without reload', async () => {
		let navigations = 0;
		ops.on('framenavigated', () => navigations++);
		sales.on('framenavigated', () => navigations++);
		const res = await postEvents(node, [
			{ id: 'w-po', type: 'po', sku: 'BRD-1', site: 'WEST', qty: 50, po: 'PO-W', eta: D(10), at: now() },
			{ id: 'w-count2', type: 'count', sku: 'BRD-1', site: 'WEST', qty: 10, at: now() }
		]);
		expect(res.status).toBe(202);
		for (const page of [ops, sales]) {
			await expect.poll(() => card(page).getAttribute('data-risk'), { timeout: 5000 }).toBe('short');
			expect(await card(page).getByTestId('risk-badge').textContent()).toContain(`Short by 30 · from ${D(10)}`);
			// The border eases into red (a CSS transition): poll until it has settled.
			await expect.poll(() => card(page).evaluate((el) => getComputedStyle(el).borderColor), { timeout: 3000 }).toBe('rgb(220, 38, 38)');
		}
		expect(navigations).toBe(0);
	});
});
