// The board while Postgres refuses the node: every open board page says "not saved — retrying", edits
// are kept in the node's bounded buffer, and once the database is back they are stored and the
// message clears, without a reload. The outage is real: the node's database stops taking connections.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../server/db/database.ts';
import { addDays } from '../../src/lib/core/dates.ts';
import { postCommitment, sessionCookie } from '../support/alerts.ts';
import { launchChromium, signIn } from '../support/browser.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';
import { PG_BASE } from '../support/services.ts';

let node: SpawnedNode;
let browser: Browser;
const pages: Page[] = [];
const admin = connect(`${PG_BASE}/postgres`, { max: 1 });
const dbName = () => new URL(node.db.databaseUrl).pathname.slice(1);

async function boardPage(): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	await page.addInitScript(() => ((window as unknown as { __pbTestHooks: boolean }).__pbTestHooks = true));
	await signIn(page, node, 'ops@test.local', undefined, '/board');
	await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 10_000 });
	return page;
}

/** Types into the notes of card `id` through the page's own document, as the notes editor would. */
const typeNotes = (page: Page, id: string, text: string) =>
	page.evaluate(([cardId, t]) => {
		const doc = (window as unknown as { __pbBoard: { doc: import('yjs').Doc } }).__pbBoard.doc;
		((doc.getMap('commitments').get(cardId) as import('yjs').Map<unknown>).get('notes') as import('yjs').Text).insert(0, t);
	}, [id, text] as const);

const storedUpdates = async () =>
	Buffer.concat((await node.db.sql<{ update: Buffer }[]>`select update from board_updates where board_id = 'main'`).map((r) => r.update));

beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('boardsave'), launchChromium()]);
	await createUser(node.db, 'ops@test.local', 'ops');
	const cookie = await sessionCookie(node, 'ops@test.local');
	await postCommitment(node, cookie, { id: 'save-1', customer: 'Outage Inc', sku: 'OUT-1', qty: 3, requestedDate: addDays(new Date().toISOString().slice(0, 10), 5) });
	pages.push(await boardPage(), await boardPage());
});
afterAll(async () => {
	await admin`alter database ${admin(dbName())} allow_connections true`.catch(() => {});
	await admin.end({ timeout: 5 });
	await browser?.close();
	await node?.stop();
});

describe('the board while its database is away', () => {
	it('shows "not saved — retrying" on every page, keeps the edit, and clears once it is stored', async () => {
		const [typist, other] = pages;
		await typist.getByTestId('board-card').filter({ hasText: 'Outage Inc' }).waitFor();
		await typeNotes(typist, 'save-1', 'before;');
		await expect.poll(async () => (await storedUpdates()).includes('before;'), { timeout: 10_000 }).toBe(true);

		await admin`alter database ${admin(dbName())} allow_connections false`;
		await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName()}`;
		await typeNotes(typist, 'save-1', 'during;');
		for (const page of pages) await page.getByTestId('board-saving').waitFor({ timeout: 15_000 });
		expect(await other.getByTestId('board-saving').textContent()).toMatch(/Not saved — retrying/);

		await admin`alter database ${admin(dbName())} allow_connections true`;
		for (const page of pages) await page.getByTestId('board-saving').waitFor({ state: 'detached', timeout: 20_000 });
		await expect.poll(async () => (await storedUpdates()).includes('during;'), { timeout: 10_000 }).toBe(true);
		await expect.poll(async () => (await node.db.sql`select notes from commitments where id = 'save-1'`)[0]?.notes, { timeout: 10_000 }).toBe('during;before;');
	});
});
