import type { Role } from '../../src/lib/contract/domain.ts';
import type { TestNode } from './node.ts';

/** Creates a user and returns a session cookie for it, signed in through the real API. */
export async function userCookie(node: TestNode, email: string, role: Role, password = 'pw-for-tests'): Promise<string> {
	const passwordHash = await node.services.auth.hashPassword(password);
	await node.repos.users.upsert({ email, name: email.split('@')[0], role, passwordHash });
	const res = await fetch(`${node.url}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: node.url },
		body: JSON.stringify({ email, password })
	});
	if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
	return res.headers.getSetCookie()[0].split(';')[0];
}

/** A JSON call with a session cookie and our own Origin, as the app's pages make it. */
export async function api<T = unknown>(node: TestNode, cookie: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
	const res = await fetch(`${node.url}${path}`, {
		method,
		headers: { cookie, origin: node.url, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await res.text();
	return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
