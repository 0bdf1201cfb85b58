// The admin API: users (invite, role, sites, disable), tokens shown once and stored hashed, sites and
// SKUs, and the audit log. Changes to what a user may do end that user's sessions at once.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminSku, AdminToken, AdminUser, AuditEntry } from '../../src/lib/contract/admin.ts';
import { caseTable, signInCookie, startHarness, type Harness } from './harness.ts';

let h: Harness;
const table = caseTable();
beforeAll(async () => {
	h = await startHarness('sec-admin');
	await h.node.sql`insert into sites (code, name) values ('A', 'Site A'), ('B', 'Site B')`;
	await h.node.sql`insert into skus (code, name, lead_time_days) values ('SKU-1', 'Widget', 5)`;
});
afterAll(async () => {
	table.print('Admin API');
	await h?.node.stop();
});

async function api<T = unknown>(method: string, path: string, body?: unknown, cookie = h.cookie.admin): Promise<{ status: number; body: T }> {
	const res = await fetch(`${h.node.url}${path}`, {
		method,
		headers: { cookie, origin: h.node.url, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await res.text();
	return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

const status = async (cookie: string) => (await fetch(`${h.node.url}/api/session`, { headers: { cookie } })).status;

describe('users', () => {
	let invited: AdminUser;
	let cookie: string;

	it('invites a user with a generated password, shown once, stored as an argon2 hash', async () => {
		const res = await api<{ user: AdminUser; password: string }>('POST', '/api/admin/users', { email: 'New@Sec.test', name: 'New', role: 'sales', sites: ['A'] });
		expect(res.status).toBe(201);
		invited = res.body.user;
		expect(invited).toMatchObject({ email: 'new@sec.test', role: 'sales', sites: ['A'], disabled: false });
		expect(res.body.password).toMatch(/^[\w-]{16}$/);
		const [row] = await h.node.sql`select password_hash from users where id = ${invited.id}`;
		expect(row.passwordHash).toMatch(/^\$argon2id\$/);
		cookie = await signInCookie(h.node.url, 'new@sec.test', res.body.password);
		const list = await api<AdminUser[]>('GET', '/api/admin/users');
		expect(JSON.stringify(list.body)).not.toContain(res.body.password);
		expect(JSON.stringify(list.body)).not.toContain('argon2');
	});

	it('refuses unknown sites and a second account with the same e-mail', async () => {
		expect((await api('POST', '/api/admin/users', { email: 'x@sec.test', name: 'X', role: 'ops', sites: ['NOPE'] })).status).toBe(400);
		expect((await api('POST', '/api/admin/users', { email: 'NEW@sec.test', name: 'X', role: 'ops' })).status).toBe(409);
	});

	it.each([
		['role change', { role: 'viewer' }, 'user.role-changed'],
		['followed sites change', { sites: ['A', 'B'] }, 'user.sites-changed'],
		['disable', { disabled: true }, 'user.disabled']
	] as const)('ends open sessions on a %s and audits it', async (what, change, action) => {
		await h.node.sql`update users set disabled = false where id = ${invited.id}`;
		const fresh = cookie ?? '';
		expect(await status(fresh)).toBe(200);
		const res = await api<AdminUser>('PATCH', `/api/admin/users/${invited.id}`, change);
		expect(res.status).toBe(200);
		const after = await status(fresh);
		table.record({ channel: 'REST', attack: `session kept after ${what}`, target: 'PATCH /api/admin/users/:id', expected: 'old cookie 401', got: `old cookie ${after}` });
		expect(after).toBe(401);
		const [entry] = await h.node.sql`select actor, detail from audit_log where action = ${action} order by id desc limit 1`;
		expect(entry.actor).toBe('admin@sec.test');
		expect(entry.detail.email).toBe('new@sec.test');
		await h.node.sql`update users set disabled = false where id = ${invited.id}`;
		const { body } = await api<{ password: string }>('POST', `/api/admin/users/${invited.id}/password`);
		cookie = await signInCookie(h.node.url, 'new@sec.test', body.password);
	});

	it('keeps a disabled user out at sign-in', async () => {
		await api('PATCH', `/api/admin/users/${invited.id}`, { disabled: true });
		const { body } = await api<{ password: string }>('POST', `/api/admin/users/${invited.id}/password`);
		await expect(signInCookie(h.node.url, 'new@sec.test', body.password)).rejects.toThrow(/401/);
	});

	it('never lets the admins lock themselves out', async () => {
		const self = await api('PATCH', `/api/admin/users/${h.userId.admin}`, { role: 'ops' });
		const selfDisable = await api('PATCH', `/api/admin/users/${h.userId.admin}`, { disabled: true });
		expect([self.status, selfDisable.status]).toEqual([403, 403]);
		// Two admins demoting each other at the same moment: one of them stays an admin.
		const second = await api<{ user: AdminUser; password: string }>('POST', '/api/admin/users', { email: 'admin2@sec.test', name: 'A2', role: 'admin' });
		const cookie2 = await signInCookie(h.node.url, 'admin2@sec.test', second.body.password);
		const [a, b] = await Promise.all([
			api('PATCH', `/api/admin/users/${second.body.user.id}`, { role: 'ops' }),
			api('PATCH', `/api/admin/users/${h.userId.admin}`, { role: 'ops' }, cookie2)
		]);
		table.record({ channel: 'REST', attack: 'two admins demote each other at once', target: 'PATCH /api/admin/users/:id', expected: 'one 200, one 403', got: `${a.status}, ${b.status}` });
		expect([a.status, b.status].sort()).toEqual([200, 403]);
		const [row] = await h.node.sql`select count(*)::int as n from users where role = 'admin' and not disabled`;
		expect(row.n).toBe(1);
		// Whoever lost, the rest of the file runs as the first admin again.
		await h.node.sql`update users set role = 'admin' where id = ${h.userId.admin}`;
		h.cookie.admin = await signInCookie(h.node.url, 'admin@sec.test');
	});
});

describe('tokens', () => {
	it('shows a new token once, keeps only its sha256, and revokes it', async () => {
		const created = await api<{ id: string; token: string; scope: string }>('POST', '/api/admin/tokens', { name: 'ERP feed', scope: 'ingest' });
		expect(created.status).toBe(201);
		const { token, id } = created.body;
		const [row] = await h.node.sql`select token_hash from api_tokens where id = ${id}`;
		expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
		const list = await api<AdminToken[]>('GET', '/api/admin/tokens');
		expect(list.body.find((t) => t.id === id)).toMatchObject({ name: 'ERP feed', scope: 'ingest', createdBy: 'admin@sec.test', revokedAt: null });
		expect(JSON.stringify(list.body)).not.toContain(token);
		expect(JSON.stringify(list.body)).not.toContain(row.tokenHash);

		const ingest = (t: string) =>
			fetch(`${h.node.url}/api/events`, {
				method: 'POST',
				headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
				body: JSON.stringify({ id: `tok-${Date.now()}`, type: 'receipt', sku: 'SKU-1', site: 'A', qty: 1, at: '2026-11-01T08:00:00Z' })
			});
		expect((await ingest(token)).status).toBe(202);
		expect((await api('DELETE', `/api/admin/tokens/${id}`)).status).toBe(204);
		expect((await api('DELETE', `/api/admin/tokens/${id}`)).status).toBe(404);
		const after = await ingest(token);
		table.record({ channel: 'REST', attack: 'revoked token reused', target: 'POST /api/events', expected: '401', got: String(after.status) });
		expect(after.status).toBe(401);
		const audit = await api<AuditEntry[]>('GET', '/api/admin/audit?limit=50');
		expect(audit.body.map((e) => e.action)).toEqual(expect.arrayContaining(['token.created', 'token.revoked']));
		expect(JSON.stringify(audit.body)).not.toContain(token);
	});
});

describe('sites and SKUs', () => {
	it('edits a site, refusing unknown time zones', async () => {
		expect((await api('PATCH', '/api/admin/sites/A', { name: 'Antwerp', timeZone: 'Europe/Brussels' })).body).toMatchObject({ code: 'A', name: 'Antwerp', timeZone: 'Europe/Brussels', provisional: false });
		expect((await api('PATCH', '/api/admin/sites/A', { timeZone: 'Mars/Olympus' })).status).toBe(400);
		expect((await api('PATCH', '/api/admin/sites/NOPE', { name: 'x' })).status).toBe(404);
	});

	it('edits a SKU and its per-site safety stock and reorder point', async () => {
		expect((await api('PATCH', '/api/admin/skus/SKU-1', { leadTimeDays: 12, name: 'Widget XL' })).status).toBe(204);
		expect((await api('PUT', '/api/admin/skus/SKU-1/sites/A', { safetyStock: 20, reorderPoint: 40 })).status).toBe(204);
		expect((await api('PUT', '/api/admin/skus/SKU-1/sites/A', { safetyStock: -1, reorderPoint: 40 })).status).toBe(400);
		expect((await api('PUT', '/api/admin/skus/SKU-1/sites/NOPE', { safetyStock: 1, reorderPoint: null })).status).toBe(404);
		const { body } = await api<AdminSku[]>('GET', '/api/admin/skus?q=sku-1');
		expect(body).toEqual([expect.objectContaining({ code: 'SKU-1', name: 'Widget XL', leadTimeDays: 12, sites: [{ site: 'A', safetyStock: 20, reorderPoint: 40 }] })]);
		const actions = (await api<AuditEntry[]>('GET', '/api/admin/audit')).body.map((e) => e.action);
		expect(actions).toEqual(expect.arrayContaining(['site.updated', 'sku.updated', 'sku-site.updated']));
	});

	it('keeps every admin read from every other role', async () => {
		for (const path of ['/api/admin/users', '/api/admin/tokens', '/api/admin/sites', '/api/admin/skus', '/api/admin/audit']) {
			for (const role of ['ops', 'sales', 'viewer'] as const) expect((await api('GET', path, undefined, h.cookie[role])).status).toBe(403);
		}
	});
});
