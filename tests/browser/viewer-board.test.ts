// A viewer, invited by an admin through the admin pages and signed in through the sign-in page, tries
// every write from inside the page (its own origin, its own session cookie): REST, Socket.IO and the
// board's Yjs WebSocket. Every one is refused, nothing is stored, and the CSP holds on every page.
import * as encoding from 'lib0/encoding';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Named apart: inside page.evaluate, `WebSocket` must be the browser's own.
import NodeWebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { launchChromium, signIn } from '../support/browser.ts';
import { createUser, spawnTestNode, type SpawnedNode } from '../support/process.ts';

let node: SpawnedNode;
let browser: Browser;
let alertId: string;
let viewerPassword = '';
const XSS = '<img src=x onerror="window.__xss=1">';

beforeAll(async () => {
	[node, browser] = await Promise.all([spawnTestNode('viewerboard'), launchChromium()]);
	await createUser(node.db, 'admin@test.local', 'admin');
	await createUser(node.db, 'ops@test.local', 'ops');
	// A site whose name is an HTML payload: it must come out as text wherever it is shown.
	await node.db.sql`insert into sites (code, name) values ('WH', ${XSS})`;
	const [alert] = await node.db.sql<{ id: string }[]>`insert into alerts (kind, severity, subject_key, sku, site, message)
		values ('below_safety_stock', 'medium', 'S|WH', 'S', 'WH', 'test alert') returning id`;
	alertId = alert.id;
});
afterAll(async () => {
	await browser?.close();
	await node?.stop();
});

/** Pages record CSP violations from the first script on; init scripts are not subject to the CSP. */
async function newPage(): Promise<Page> {
	const page = await browser.newPage();
	await page.addInitScript(() => {
		const w = window as unknown as { __csp: string[] };
		w.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`));
	});
	return page;
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

/** A y-websocket sync update (message type 0, step 2) that adds a commitment, as the board UI would. */
function boardEdit(): number[] {
	const doc = new Y.Doc();
	const c = new Y.Map<unknown>();
	doc.getMap('commitments').set('viewer-commitment', c);
	c.set('customer', 'Acme');
	c.set('qty', 40);
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, 2);
	encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc));
	return [...encoding.toUint8Array(e)];
}

describe('admin invites a viewer through the admin pages', () => {
	it('shows the generated password once', async () => {
		const page = await newPage();
		await signIn(page, node, 'admin@test.local', undefined, '/admin/users');
		await page.getByLabel('E-mail').fill('viewer@test.local');
		await page.getByLabel('Name').fill('Vera Viewer');
		await page.getByLabel('Role', { exact: true }).selectOption('viewer');
		await page.getByRole('button', { name: 'Invite' }).click();
		viewerPassword = (await page.getByTestId('one-time-secret').textContent()) ?? '';
		expect(viewerPassword).toMatch(/^[\w-]{16}$/);
		await expect.poll(() => page.getByTestId('user-viewer@test.local').textContent()).toContain('Vera Viewer');
		await page.reload();
		expect(await page.getByTestId('one-time-secret').count()).toBe(0);
		expect(await violations(page)).toEqual([]);
		await page.close();
	});

	it('renders every admin page under the CSP; a new token is shown once', async () => {
		const page = await newPage();
		await signIn(page, node, 'admin@test.local', undefined, '/admin/tokens');
		await page.getByLabel('Name').fill('Wall TV');
		await page.getByRole('button', { name: 'Create token' }).click();
		expect(await page.getByTestId('one-time-secret').textContent()).toMatch(/^pb_display_/);
		for (const [path, heading] of [['/admin/boards', 'Boards'], ['/admin/sites', 'Sites'], ['/admin/skus', 'SKUs'], ['/admin/audit', 'Audit log']]) {
			const res = await page.goto(`${node.url}${path}`);
			expect(res?.status()).toBe(200);
			await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
		}
		expect(await page.getByText('token.created').count()).toBeGreaterThan(0);
		expect(await violations(page)).toEqual([]);
		await node.db.sql`delete from api_tokens`;
		await page.close();
	});
});

describe('a viewer signed in through the browser', () => {
	let page: Page;
	beforeAll(async () => {
		page = await newPage();
		await signIn(page, node, 'viewer@test.local', viewerPassword, '/stock');
	});
	afterAll(() => page?.close());

	it('gets pages under a nonce CSP that blocks nothing of ours, and user text as text', async () => {
		const res = await page.reload();
		const csp = res?.headers()['content-security-policy'] ?? '';
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).toContain("connect-src 'self'");
		expect(csp).toContain("frame-ancestors 'none'");
		// The live feed connected over a WebSocket: connect-src 'self' lets it through.
		await expect.poll(() => page.getByTestId('connection').getAttribute('data-state')).toBe('connected');
		expect(await page.locator('select option', { hasText: 'onerror' }).count()).toBe(1);
		expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
		expect(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);
		// The static no-flash theme script runs under the CSP: a stored dark theme applies before paint.
		await page.evaluate(() => localStorage.setItem('promiseboard-theme', 'dark'));
		await page.reload();
		expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
		expect(await violations(page)).toEqual([]);
	});

	it('is refused the admin pages', async () => {
		const res = await page.goto(`${node.url}/admin/users`);
		expect(res?.status()).toBe(403);
		await page.goto(`${node.url}/stock`);
	});

	it('cannot change anything over REST, Socket.IO or the board WebSocket', async () => {
		const outcome = await page.evaluate(
			async ({ alertId, update }) => {
				const json = (method: string, path: string, body: unknown) =>
					fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status);
				const rest = {
					'POST /api/events': await json('POST', '/api/events', { id: 'v1', type: 'receipt', sku: 'S', site: 'WH', qty: 5, at: '2026-11-01T08:00:00Z' }),
					'POST /api/commitments': await json('POST', '/api/commitments', { customer: 'Acme', sku: 'S', qty: 40, requestedDate: '2026-12-14' }),
					'PATCH /api/commitments/x': await json('PATCH', '/api/commitments/x', { qty: 1 }),
					'POST /api/alerts/:id/ack': await json('POST', `/api/alerts/${alertId}/ack`, {}),
					'POST /api/admin/tokens': await json('POST', '/api/admin/tokens', { name: 'mine', scope: 'ingest' }),
					'POST /api/admin/users': await json('POST', '/api/admin/users', { email: 'me2@x.y', name: 'me', role: 'admin' })
				};

				const ws = (path: string) => new WebSocket(`${location.origin.replace('http', 'ws')}${path}`);
				// The board: the stock y-websocket protocol, our edit as a sync update.
				const board = await new Promise<{ denied: boolean; closed: number | null }>((resolve) => {
					const s = ws('/yjs/main');
					s.binaryType = 'arraybuffer';
					let denied = false;
					let sent = false;
					s.onmessage = (m) => {
						const bytes = new Uint8Array(m.data as ArrayBuffer);
						if (bytes[0] === 2) denied = true; // y-protocols auth: permission denied
						if (!sent) {
							sent = true;
							s.send(new Uint8Array(update));
							setTimeout(() => (s.close(), resolve({ denied, closed: null })), 700);
						}
					};
					s.onclose = (e) => resolve({ denied, closed: e.code });
				});

				// Socket.IO, spoken raw (engine.io v4 over WebSocket): connect, then acknowledge an alert.
				const ack = await new Promise<string>((resolve) => {
					const s = ws('/socket.io/?EIO=4&transport=websocket');
					s.onmessage = (m) => {
						const text = String(m.data);
						if (text.startsWith('0')) s.send('40');
						else if (text.startsWith('40')) s.send(`421["alert:ack",{"id":"${alertId}"}]`);
						else if (text.startsWith('431') || text.startsWith('44')) {
							s.close();
							resolve(text.startsWith('44') ? `connect error ${text}` : text.slice(3));
						}
					};
					setTimeout(() => resolve('no answer'), 5000);
				});
				return { rest, board, ack };
			},
			{ alertId, update: boardEdit() }
		);
		console.log('viewer attempts from the page:', JSON.stringify(outcome, null, 2));
		for (const [what, status] of Object.entries(outcome.rest)) expect([what, status]).toEqual([what, 403]);
		expect(outcome.board).toEqual({ denied: true, closed: null });
		expect(JSON.parse(outcome.ack)).toEqual([{ error: expect.stringMatching(/may not/) }]);
	});

	it('left no trace: nothing stored, nobody else sees it', async () => {
		const sql = node.db.sql;
		const [counts] = await sql`select (select count(*) from inventory_events)::int as events, (select count(*) from commitments)::int as commitments,
			(select count(*) from board_updates)::int as board_updates, (select count(*) from api_tokens)::int as tokens,
			(select count(*) from users)::int as users, (select status from alerts where id = ${alertId}) as alert,
			(select role from users where email = 'viewer@test.local') as role`;
		expect(counts).toEqual({ events: 0, commitments: 0, boardUpdates: 0, tokens: 0, users: 3, alert: 'open', role: 'viewer' });

		const opsCookie = await cookieOf('ops@test.local');
		const doc = await boardAs(opsCookie);
		expect([...doc.getMap('commitments').keys()]).toEqual([]);
		doc.destroy();
		const health = await fetch(`${node.url}/healthz`);
		expect(health.status).toBe(200);
	});

	it('on the board page sees the cards but cannot change them, even with the page tampered with', async () => {
		const opsCookie = await cookieOf('ops@test.local');
		const created = await fetch(`${node.url}/api/commitments`, {
			method: 'POST',
			headers: { cookie: opsCookie, origin: node.url, 'content-type': 'application/json' },
			body: JSON.stringify({ customer: 'Acme', sku: 'S', qty: 40, requestedDate: '2026-12-14' })
		});
		expect(created.status).toBe(201);
		const { id } = (await created.json()) as { id: string };

		await page.goto(`${node.url}/board`);
		const card = page.locator(`[data-testid="board-card"][data-card-id="${id}"]`);
		await expect.poll(() => card.textContent()).toContain('Acme');
		expect(await page.getByRole('button', { name: /new commitment/i }).count()).toBe(0);
		await card.click();
		const notes = page.getByTestId('card-editor').getByTestId('notes');
		expect(await notes.getAttribute('readonly')).not.toBeNull();
		// Tampered page: lift the read-only flag and type; the server must still refuse the edit.
		await notes.evaluate((el) => el.removeAttribute('readonly'));
		await notes.click();
		await page.keyboard.type('viewer was here');
		await new Promise((r) => setTimeout(r, 1000));
		expect(await violations(page)).toEqual([]);

		const listed = await fetch(`${node.url}/api/commitments`, { headers: { cookie: opsCookie } }).then((r) => r.json() as Promise<{ id: string; notes?: string }[]>);
		expect(listed.find((c) => c.id === id)?.notes ?? '').not.toContain('viewer was here');
		// The board as someone else loads it now: the card is there, the viewer's words are not.
		const doc = await boardAs(opsCookie);
		const stored = doc.getMap<Y.Map<unknown>>('commitments').get(id);
		expect(stored?.get('customer')).toBe('Acme');
		expect(String(stored?.get('notes') ?? '')).not.toContain('viewer');
		doc.destroy();
	});
});

async function cookieOf(email: string): Promise<string> {
	const res = await fetch(`${node.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: node.url },
		body: JSON.stringify({ email, password: 'pw-for-tests' })
	});
	return res.headers.getSetCookie()[0].split(';')[0];
}

/** The board as a stock y-websocket client signed in with `cookie` sees it once synced. */
async function boardAs(cookie: string): Promise<Y.Doc> {
	class CookieSocket extends NodeWebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie } });
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`${node.url.replace('http', 'ws')}/yjs`, 'main', doc, {
		WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true
	});
	await new Promise<void>((resolve) => provider.on('sync', (synced: boolean) => synced && resolve()));
	provider.destroy();
	return doc;
}
