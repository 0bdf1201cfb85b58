// REST: every refusal the API owes an attacker, each checked for its status, for a body without a
// stack trace, for nothing written, and for a process that still answers /healthz.
import { connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseTable, EVIL_ORIGIN, expectHealthy, expectNoLeak, snapshot, startHarness, type Harness } from './harness.ts';

let h: Harness;
const table = caseTable();
beforeAll(async () => {
	h = await startHarness('sec-rest');
	await h.node.sql`insert into alerts (kind, severity, subject_key, sku, site, message)
		values ('below_safety_stock', 'medium', 'S|A', 'S', 'A', 'test alert')`;
});
afterAll(async () => {
	table.print('REST attacks');
	await h?.node.stop();
});

interface Send {
	method?: string;
	path: string;
	cookie?: string | ((h: Harness) => string);
	token?: (h: Harness) => string;
	origin?: string | null;
	type?: string;
	body?: string | (() => string);
	headers?: Record<string, string>;
}

const event = { id: 'sec-1', type: 'receipt', sku: 'S', site: 'A', qty: 1, at: '2026-11-01T08:00:00Z' };
const ev = JSON.stringify(event);

async function send(s: Send): Promise<Response> {
	const headers: Record<string, string> = { ...s.headers };
	const cookie = typeof s.cookie === 'function' ? s.cookie(h) : s.cookie;
	if (cookie) headers.cookie = cookie;
	if (s.token) headers.authorization = `Bearer ${s.token(h)}`;
	if (s.origin !== null) headers.origin = s.origin ?? h.node.url;
	if (s.body !== undefined) headers['content-type'] = s.type ?? 'application/json';
	const body = typeof s.body === 'function' ? s.body() : s.body;
	return fetch(`${h.node.url}${s.path}`, { method: s.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
}

const target = (s: Send) => `${s.method ?? (s.body === undefined ? 'GET' : 'POST')} ${s.path}`;

type Case = [attack: string, request: Send, expected: number];
const cases: Case[] = [
	['no credentials', { path: '/api/positions' }, 401],
	['no credentials', { path: '/api/events', body: ev }, 401],
	['no credentials', { path: '/api/commitments', body: '{}' }, 401],
	['no credentials', { path: '/api/admin/users' }, 401],
	['no credentials', { path: '/api/admin/tokens', body: '{"name":"x","scope":"ingest"}' }, 401],
	['garbage bearer token', { path: '/api/events', token: () => 'x'.repeat(300), body: ev }, 401],
	['wrong role: viewer ingests', { path: '/api/events', cookie: (h) => h.cookie.viewer, body: ev }, 403],
	['wrong role: sales ingests', { path: '/api/events', cookie: (h) => h.cookie.sales, body: ev }, 403],
	['wrong role: viewer creates commitment', { path: '/api/commitments', cookie: (h) => h.cookie.viewer, body: '{"customer":"X","sku":"S","qty":1,"requestedDate":"2026-12-01"}' }, 403],
	['wrong role: viewer acks alert', { path: '/api/alerts/00000000-0000-0000-0000-000000000000/ack', cookie: (h) => h.cookie.viewer, body: '{}' }, 403],
	['wrong role: ops lists users', { path: '/api/admin/users', cookie: (h) => h.cookie.ops }, 403],
	['wrong role: ops creates user', { path: '/api/admin/users', cookie: (h) => h.cookie.ops, body: '{"email":"x@y.z","name":"x","role":"admin"}' }, 403],
	['wrong role: sales creates token', { path: '/api/admin/tokens', cookie: (h) => h.cookie.sales, body: '{"name":"x","scope":"ingest"}' }, 403],
	['wrong scope: read token ingests', { path: '/api/events', token: (h) => h.tokens.read, body: ev }, 403],
	['wrong scope: display token ingests', { path: '/api/events', token: (h) => h.tokens.display, body: ev }, 403],
	['wrong scope: display token acks alert', { path: '/api/alerts/00000000-0000-0000-0000-000000000000/ack', token: (h) => h.tokens.display, body: '{}' }, 403],
	['wrong scope: ingest token reads positions', { path: '/api/positions', token: (h) => h.tokens.ingest }, 403],
	['wrong scope: display token creates token', { path: '/api/admin/tokens', token: (h) => h.tokens.display, body: '{"name":"x","scope":"ingest"}' }, 403],
	['wrong scope: ingest token edits a site', { method: 'PATCH', path: '/api/admin/sites/A', token: (h) => h.tokens.ingest, body: '{"name":"x"}' }, 403],
	['revoked token', { path: '/api/events', token: (h) => h.tokens.revokedIngest, body: ev }, 401],
	['revoked token', { path: '/api/positions', token: (h) => h.tokens.revokedRead }, 401],
	['forged cookie', { path: '/api/positions', cookie: (h) => h.bad.forged }, 401],
	['forged cookie', { path: '/api/events', cookie: (h) => h.bad.forged, body: ev }, 401],
	['cookie signed with another secret', { path: '/api/admin/users', cookie: (h) => h.bad.wrongSecret }, 401],
	['expired session cookie', { path: '/api/positions', cookie: (h) => h.bad.expired }, 401],
	['expired session cookie', { path: '/api/events', cookie: (h) => h.bad.expired, body: ev }, 401],
	['signed-out session cookie', { path: '/api/positions', cookie: (h) => h.bad.signedOut }, 401],
	['oversized cookie', { path: '/api/positions', cookie: (h) => h.bad.oversized }, 401],
	['cross-origin write (ops cookie)', { path: '/api/events', cookie: (h) => h.cookie.ops, origin: EVIL_ORIGIN, body: ev }, 403],
	['cross-origin write (admin cookie)', { path: '/api/admin/tokens', cookie: (h) => h.cookie.admin, origin: EVIL_ORIGIN, body: '{"name":"x","scope":"ingest"}' }, 403],
	['cross-origin write (admin cookie)', { method: 'PATCH', path: '/api/admin/users/00000000-0000-0000-0000-000000000000', cookie: (h) => h.cookie.admin, origin: EVIL_ORIGIN, body: '{"role":"viewer"}' }, 403],
	['cross-origin write, Origin: null', { path: '/api/commitments', cookie: (h) => h.cookie.sales, origin: 'null', body: '{}' }, 403],
	['cookie write without Origin', { path: '/api/admin/users', cookie: (h) => h.cookie.admin, origin: null, body: '{"email":"x@y.z","name":"x","role":"admin"}' }, 403],
	['cross-origin write, form post', { path: '/api/admin/tokens', cookie: (h) => h.cookie.admin, origin: EVIL_ORIGIN, type: 'application/x-www-form-urlencoded', body: 'name=x&scope=ingest' }, 403],
	['cross-origin sign-in (login CSRF)', { path: '/api/session', origin: EVIL_ORIGIN, body: JSON.stringify({ email: 'ops@sec.test', password: 'correct horse battery' }) }, 403],
	['oversized body: sign-in 20 kB', { path: '/api/session', body: JSON.stringify({ email: 'a@b.c', password: 'p'.repeat(20_000) }) }, 413],
	['oversized body: events > 10 MB', { path: '/api/events', token: (h) => h.tokens.ingest, body: () => `[${' '.repeat(10 * 1024 * 1024 + 10)}]` }, 413],
	['oversized body: 10,001 events', { path: '/api/events', token: (h) => h.tokens.ingest, body: () => JSON.stringify(Array.from({ length: 10_001 }, (_, i) => ({ ...event, id: `big-${i}` }))) }, 413],
	['oversized body: admin 100 kB', { path: '/api/admin/users', cookie: (h) => h.cookie.admin, body: JSON.stringify({ email: 'a@b.c', name: 'n'.repeat(100_000), role: 'ops' }) }, 413],
	['oversized body: commitment 100 kB', { path: '/api/commitments', cookie: (h) => h.cookie.sales, body: JSON.stringify({ customer: 'c'.repeat(100_000) }) }, 413],
	['malformed JSON: sign-in', { path: '/api/session', body: '{"email": "a@b.c", "password": ' }, 400],
	['malformed JSON: events', { path: '/api/events', token: (h) => h.tokens.ingest, body: '[{"id": "x", ' }, 400],
	['malformed JSON: admin', { path: '/api/admin/tokens', cookie: (h) => h.cookie.admin, body: '{"name": nope}' }, 400],
	['malformed JSON: commitments', { path: '/api/commitments', cookie: (h) => h.cookie.sales, body: '{"customer":' }, 400],
	['malformed NDJSON', { path: '/api/events', token: (h) => h.tokens.ingest, type: 'application/x-ndjson', body: `${ev}\n{"id": broken\n` }, 400],
	['NDJSON: one invalid event spoils the batch', { path: '/api/events', token: (h) => h.tokens.ingest, type: 'application/x-ndjson', body: `${ev}\n${JSON.stringify({ ...event, id: 'sec-2', qty: -5 })}\n` }, 400],
	['random bytes as JSON', { path: '/api/events', token: (h) => h.tokens.ingest, body: () => String.fromCharCode(...Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)) }, 400],
	['wrong content type on events', { path: '/api/events', token: (h) => h.tokens.ingest, type: 'text/html', body: ev }, 415],
	['schema violation: admin invents a role', { path: '/api/admin/users', cookie: (h) => h.cookie.admin, body: '{"email":"x@y.z","name":"x","role":"root"}' }, 400],
	['schema violation: unknown field', { path: '/api/admin/tokens', cookie: (h) => h.cookie.admin, body: '{"name":"x","scope":"ingest","tokenHash":"abc"}' }, 400],
	['not a user id', { method: 'PATCH', path: '/api/admin/users/..%2F..%2Fetc', cookie: (h) => h.cookie.admin, body: '{"role":"viewer"}' }, 404],
	['revoking an unknown token', { method: 'DELETE', path: '/api/admin/tokens/not-a-uuid', cookie: (h) => h.cookie.admin }, 404]
];

describe('REST refuses', () => {
	const named = cases.map(([attack, request, expected]) => ({ name: `${attack} · ${target(request)} → ${expected}`, attack, request, expected }));
	it.each(named)('$name', async ({ attack, request, expected }) => {
		const before = await snapshot(h.node);
		const res = await send(request);
		const body = await res.text();
		table.record({ channel: 'REST', attack, target: target(request), expected: String(expected), got: String(res.status) });
		expect(res.status, body).toBe(expected);
		expectNoLeak(body);
		expect(JSON.parse(body)).toEqual(expect.objectContaining({ error: expect.any(String) }));
		expect(await snapshot(h.node)).toEqual(before);
		await expectHealthy(h.node);
	});

	it('answers random bytes on the HTTP port with 400 and keeps serving', async () => {
		const answer = await new Promise<string>((resolve, reject) => {
			const socket = tcpConnect(Number(new URL(h.node.url).port), '127.0.0.1', () => {
				socket.write(Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 131 + 7) % 256)));
			});
			let got = '';
			socket.on('data', (d) => (got += d.toString('latin1')));
			socket.on('close', () => resolve(got));
			socket.on('error', reject);
		});
		table.record({ channel: 'HTTP', attack: 'random bytes on the TCP port', target: ':port', expected: '400', got: answer.split('\r\n')[0] || 'closed' });
		expect(answer).toMatch(/^HTTP\/1\.1 400/);
		await expectHealthy(h.node);
	});

	it('sends security headers and a CSP on API answers', async () => {
		const res = await fetch(`${h.node.url}/api/positions`);
		expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
		expect(res.headers.get('x-powered-by')).toBeNull();
		table.record({ channel: 'REST', attack: 'framing / sniffing', target: 'GET /api/positions', expected: 'CSP + nosniff', got: 'present' });
	});

	it('wrote nothing and acknowledged nothing in all of it', async () => {
		const [row] = await h.node.sql`select count(*)::int as n from inventory_events`;
		expect(row.n).toBe(0);
		const [alert] = await h.node.sql`select status, acknowledged_by from alerts`;
		expect(alert).toEqual({ status: 'open', acknowledgedBy: null });
	});
});
