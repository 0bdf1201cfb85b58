// Sign-in: cookie flags, one answer for every failure, throttling per account and per address
// (shared through Redis), per-token ingest throttling, and the audit trail of it all.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../server/services/rate-limit.service.ts';
import { caseTable, PASSWORD, startHarness, type Harness } from './harness.ts';

let h: Harness;
const table = caseTable();
beforeAll(async () => {
	h = await startHarness('sec-signin');
	const passwordHash = await h.node.services.auth.hashPassword(PASSWORD);
	for (const email of ['target@sec.test', 'nat@sec.test', 'reset@sec.test']) {
		await h.node.repos.users.upsert({ email, name: email, role: 'sales', passwordHash });
	}
	await h.node.sql`update users set disabled = true where email = 'reset@sec.test'`;
});
afterAll(async () => {
	table.print('Sign-in and rate limits');
	await h?.node.stop();
});

function signIn(email: string, password: string, address?: string, extra: Record<string, string> = {}) {
	return fetch(`${h.node.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: h.node.url, ...(address ? { 'x-forwarded-for': address } : {}), ...extra },
		body: JSON.stringify({ email, password })
	});
}

describe('sign-in', () => {
	it('sets an HttpOnly, SameSite=Lax session cookie, Secure behind TLS', async () => {
		const plain = (await signIn('ops@sec.test', PASSWORD)).headers.getSetCookie()[0];
		expect(plain).toMatch(/^pb_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
		const tls = (await signIn('ops@sec.test', PASSWORD, undefined, { 'x-forwarded-proto': 'https' })).headers.getSetCookie()[0];
		expect(tls).toContain('; Secure');
		table.record({ channel: 'REST', attack: 'cookie theft by script / cross-site send', target: 'Set-Cookie', expected: 'HttpOnly; SameSite=Lax', got: 'HttpOnly; SameSite=Lax (+Secure on TLS)' });
	});

	it('gives one answer for an unknown e-mail, a wrong password and a disabled account', async () => {
		const answers = await Promise.all([
			signIn('nobody@sec.test', PASSWORD, '198.51.100.1'),
			signIn('ops@sec.test', 'wrong password', '198.51.100.1'),
			signIn('reset@sec.test', PASSWORD, '198.51.100.1')
		]);
		const bodies = await Promise.all(answers.map((r) => r.text()));
		expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
		expect(new Set(bodies).size).toBe(1);
		table.record({ channel: 'REST', attack: 'account enumeration', target: 'POST /api/session', expected: 'same 401 ×3', got: answers.map((r) => r.status).join('/') });
	});

	it(`slows an account after ${DEFAULT_RATE_LIMITS.signInFreeAttempts} attempts from any address, then lets its owner in after the wait`, async () => {
		const free = DEFAULT_RATE_LIMITS.signInFreeAttempts;
		// The free attempts, then one more that is let through but starts the account's first 1 s wait.
		for (let i = 0; i <= free; i++) {
			expect((await signIn('target@sec.test', `guess-${i}`, `192.0.2.${i + 1}`)).status).toBe(401);
		}
		const blocked = await signIn('target@sec.test', PASSWORD, '192.0.2.200');
		table.record({ channel: 'REST', attack: `password guessing, 1 account × ${free + 1} addresses`, target: 'POST /api/session', expected: '429 + short Retry-After', got: `${blocked.status}, Retry-After ${blocked.headers.get('retry-after')}` });
		expect(blocked.status).toBe(429);
		expect(Number(blocked.headers.get('retry-after'))).toBe(1);
		// Other accounts from those addresses are unaffected.
		expect((await signIn('nat@sec.test', PASSWORD, '192.0.2.1')).status).toBe(200);
		const [row] = await h.node.sql`select count(*)::int as n from audit_log where action = 'sign-in.throttled' and actor = 'target@sec.test'`;
		expect(row.n).toBe(1);
		// No lock-out: once the announced wait is over, the right password works.
		await vi.waitFor(async () => expect((await signIn('target@sec.test', PASSWORD, '192.0.2.201')).status).toBe(200), { timeout: 5000, interval: 250 });
	});

	it(`throttles an address after ${DEFAULT_RATE_LIMITS.signInPerAddress} attempts across accounts`, async () => {
		const address = '203.0.113.50';
		for (let i = 0; i < DEFAULT_RATE_LIMITS.signInPerAddress; i++) {
			expect((await signIn(`spray-${i}@sec.test`, 'Winter2026!', address)).status).toBe(401);
		}
		const blocked = await signIn('nat@sec.test', PASSWORD, address);
		table.record({ channel: 'REST', attack: `password spraying, 1 address × ${DEFAULT_RATE_LIMITS.signInPerAddress} accounts`, target: 'POST /api/session', expected: '429', got: String(blocked.status) });
		expect(blocked.status).toBe(429);
		expect((await signIn('nat@sec.test', PASSWORD, '203.0.113.51')).status).toBe(200);
	});

	it('lets a successful sign-in clear the account count (typos do not add up)', async () => {
		expect((await signIn('ops@sec.test', PASSWORD)).status).toBe(200);
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < DEFAULT_RATE_LIMITS.signInFreeAttempts - 1; i++) {
				expect((await signIn('ops@sec.test', 'typo', `198.51.100.${10 + round}`)).status).toBe(401);
			}
			expect((await signIn('ops@sec.test', PASSWORD, `198.51.100.${10 + round}`)).status).toBe(200);
		}
	});

	it('audits sign-ins, failures and sign-outs with the client address', async () => {
		const res = await signIn('nat@sec.test', PASSWORD, '198.51.100.77');
		const cookie = res.headers.getSetCookie()[0].split(';')[0];
		await fetch(`${h.node.url}/api/session`, { method: 'DELETE', headers: { cookie, origin: h.node.url } });
		const rows = await h.node.sql<{ action: string; detail: { ip?: string } }[]>`
			select action, detail from audit_log where actor = 'nat@sec.test' order by id`;
		expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['sign-in', 'sign-out']));
		expect(rows.find((r) => r.detail.ip === '198.51.100.77')?.action).toBe('sign-in');
		const [failed] = await h.node.sql`select count(*)::int as n from audit_log where action = 'sign-in.failed'`;
		expect(failed.n).toBeGreaterThan(40);
	});
});

describe('ingest rate limit', () => {
	it(`answers 429 past ${DEFAULT_RATE_LIMITS.ingestPerSecond} requests per second for one token, not for another`, async () => {
		const hot = (await h.node.services.auth.createToken('hot feed', 'ingest', null)).token;
		const post = (token: string) =>
			fetch(`${h.node.url}/api/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '[' });
		const burst = await Promise.all(Array.from({ length: DEFAULT_RATE_LIMITS.ingestPerSecond * 2 }, () => post(hot)));
		const statuses = burst.map((r) => r.status);
		const limited = statuses.filter((s) => s === 429).length;
		const other = await post(h.tokens.ingest);
		table.record({ channel: 'REST', attack: `ingest flood (${burst.length} requests at once, one token)`, target: 'POST /api/events', expected: '429 past the limit', got: `${limited}× 429, other token ${other.status}` });
		// A fixed one-second window: a slow machine may spread the burst over two, so not exactly half.
		expect(limited).toBeGreaterThanOrEqual(10);
		expect(statuses.filter((s) => s !== 429).every((s) => s === 400)).toBe(true);
		expect(burst.find((r) => r.status === 429)?.headers.get('retry-after')).toBe('1');
		expect(other.status).toBe(400);
	});
});
