// Shared set-up of the security suite: a node, one user per role, tokens of every scope, and the
// bad credentials each channel is tried with. Also the "nothing was written" snapshot and the table
// of cases every file prints when it ends.
import { randomBytes } from 'node:crypto';
import { sign } from 'cookie-signature';
import { expect } from 'vitest';
import type { Role } from '../../src/lib/contract/domain.ts';
import { startTestNode, type TestNode } from '../support/node.ts';

export const EVIL_ORIGIN = 'https://evil.example';
export const PASSWORD = 'correct horse battery';

export interface Harness {
	node: TestNode;
	/** A signed-in session cookie (`pb_session=…`) per role. */
	cookie: Record<Role, string>;
	userId: Record<Role, string>;
	tokens: { ingest: string; read: string; display: string; revokedIngest: string; revokedDisplay: string; revokedRead: string };
	/** Cookies that must authenticate nothing. */
	bad: { forged: string; wrongSecret: string; expired: string; signedOut: string; oversized: string };
}

export async function signInCookie(url: string, email: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<string> {
	const res = await fetch(`${url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: url, ...headers },
		body: JSON.stringify({ email, password })
	});
	if (res.status !== 200) throw new Error(`sign-in of ${email} answered ${res.status}`);
	return res.headers.getSetCookie()[0].split(';')[0];
}

export async function startHarness(label: string, env: Record<string, string> = {}): Promise<Harness> {
	const node = await startTestNode(label, { env });
	const { users } = node.repos;
	const passwordHash = await node.services.auth.hashPassword(PASSWORD);
	const roles: Role[] = ['admin', 'ops', 'sales', 'viewer'];
	const userId = {} as Record<Role, string>;
	for (const role of roles) userId[role] = await users.upsert({ email: `${role}@sec.test`, name: role, role, passwordHash });
	await users.upsert({ email: 'expired@sec.test', name: 'expired', role: 'ops', passwordHash });
	await users.upsert({ email: 'gone@sec.test', name: 'gone', role: 'ops', passwordHash });
	const cookie = {} as Record<Role, string>;
	for (const role of roles) cookie[role] = await signInCookie(node.url, `${role}@sec.test`);

	const expired = await signInCookie(node.url, 'expired@sec.test');
	await node.sql`update sessions set expires_at = now() - interval '1 minute'
		where user_id = (select id from users where email = 'expired@sec.test')`;
	const signedOut = await signInCookie(node.url, 'gone@sec.test');
	await fetch(`${node.url}/api/session`, { method: 'DELETE', headers: { cookie: signedOut, origin: node.url } });

	const make = async (scope: 'ingest' | 'read' | 'display') => (await node.services.auth.createToken(`sec ${scope}`, scope, null)).token;
	const revoked = async (scope: 'ingest' | 'read' | 'display') => {
		const t = await node.services.auth.createToken(`sec revoked ${scope}`, scope, null);
		await node.services.auth.revokeToken(t.id, null);
		return t.token;
	};
	return {
		node,
		cookie,
		userId,
		tokens: {
			ingest: await make('ingest'),
			read: await make('read'),
			display: await make('display'),
			revokedIngest: await revoked('ingest'),
			revokedRead: await revoked('read'),
			revokedDisplay: await revoked('display')
		},
		bad: {
			forged: 'pb_session=forged.value',
			// Well-formed, but signed with a secret that is not the node's.
			wrongSecret: `pb_session=${encodeURIComponent(sign(randomBytes(32).toString('base64url'), 'x'.repeat(40)))}`,
			expired,
			signedOut,
			oversized: `pb_session=${'a'.repeat(4000)}`
		}
	};
}

/** Row counts of every table a successful attack would write to (the audit log is meant to grow). */
export async function snapshot(node: TestNode): Promise<Record<string, number>> {
	const tables = [
		'inventory_events', 'positions', 'outbox', 'board_updates', 'board_snapshots', 'users', 'user_sites', 'sessions',
		'api_tokens', 'sites', 'skus', 'sku_sites', 'commitments', 'alerts'
	];
	const [row] = await node.sql.unsafe(`select ${tables.map((t) => `(select count(*) from ${t})::int as ${t}`).join(', ')}`);
	const [changed] = await node.sql`
		select (select count(*) from alerts where status <> 'open')::int as acked_alerts,
			(select count(*) from users where disabled)::int as disabled_users,
			(select string_agg(role, ',' order by email) from users) as roles,
			(select count(*) from sessions where revoked_at is not null)::int as revoked_sessions,
			(select count(*) from api_tokens where revoked_at is not null)::int as revoked_tokens`;
	return { ...row, ...changed } as Record<string, number>;
}

/** A body that must not show a stack trace, a source path or a module name. */
export function expectNoLeak(body: string): void {
	expect(body).not.toMatch(/\n\s+at\s|node_modules|\.ts:\d+|\/work\/|Error: /);
}

export interface CaseResult {
	channel: string;
	attack: string;
	target: string;
	expected: string;
	got: string;
}

/** Collects what each case got; `print` shows the table when the file ends. */
export function caseTable() {
	const rows: CaseResult[] = [];
	return {
		rows,
		record(r: CaseResult) {
			rows.push(r);
		},
		print(title: string) {
			const widths = (['channel', 'attack', 'target', 'expected', 'got'] as const).map((k) =>
				Math.max(k.length, ...rows.map((r) => r[k].length))
			);
			const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
			const out = [
				`\n${title} (${rows.length} cases)`,
				line(['channel', 'attack', 'target', 'expected', 'got']),
				line(widths.map((w) => '-'.repeat(w))),
				...rows.map((r) => line([r.channel, r.attack, r.target, r.expected, r.got]))
			];
			console.log(out.join('\n'));
		}
	};
}

export async function expectHealthy(node: TestNode): Promise<void> {
	const res = await fetch(`${node.url}/healthz`);
	expect(res.status).toBe(200);
}
