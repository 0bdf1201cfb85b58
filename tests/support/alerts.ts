// Arranging alerts against a spawned node through its public API, the way an ERP and a planner would.
import { randomBytes } from 'node:crypto';
import { sha256 } from '../../server/services/auth.service.ts';
import { TokensRepository } from '../../server/repositories/tokens.repository.ts';
import { addDays } from '../../src/lib/core/dates.ts';
import { postEvents } from './node.ts';
import { waitForValue } from './wait.ts';
import type { SpawnedNode } from './process.ts';
import type { TestServices } from './services.ts';

const today = new Date().toISOString().slice(0, 10);
export const D = (n: number) => addDays(today, n);

/** A display token, as an admin would create one (AuthService.createToken does the same). */
export async function displayToken(db: TestServices, name = 'test wall'): Promise<string> {
	const token = `pb_display_${randomBytes(24).toString('base64url')}`;
	await new TokensRepository(db.sql).create({ name, scope: 'display', tokenHash: sha256(token), createdBy: null });
	return token;
}

export async function sessionCookie(node: { url: string }, email: string, password = 'pw-for-tests'): Promise<string> {
	const res = await fetch(`${node.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: node.url }, body: JSON.stringify({ email, password }) });
	if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
	return res.headers.getSetCookie()[0].split(';')[0];
}

export async function postCommitment(node: SpawnedNode, cookie: string, body: Record<string, unknown>): Promise<void> {
	const res = await fetch(`${node.url}/api/commitments`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: node.url }, body: JSON.stringify(body) });
	if (res.status !== 201) throw new Error(`commitment refused: ${res.status} ${await res.text()}`);
}

export async function settled(db: TestServices): Promise<void> {
	await waitForValue(async () => {
		const [{ n }] = await db.sql<{ n: number }[]>`select count(*)::int as n from position_dirty where dirty_since is not null`;
		return n === 0;
	});
}

/**
 * SKU `sku` at site S: stock and an open PO cover a confirmed commitment only with the PO (at risk).
 * `slip()` then re-dates the PO past the promise: the commitment is short (critical), the PO line late
 * (high, it breaks a promise) and a stockout projected (high) — three alerts from one inventory event.
 */
export async function arrangeSlip(node: SpawnedNode, cookie: string, sku: string, customer = 'Acme') {
	await node.db.sql`insert into sites (code, name) values ('S', 'Main warehouse') on conflict do nothing`;
	await node.db.sql`insert into skus (code, name, lead_time_days) values (${sku}, ${`Widget ${sku}`}, 10) on conflict do nothing`;
	await postEvents(node, [
		{ id: `${sku}-r`, type: 'receipt', sku, site: 'S', qty: 100, at: `${D(-2)}T06:00:00Z` },
		{ id: `${sku}-po`, type: 'po', sku, site: 'S', qty: 50, po: `PO-${sku}`, eta: D(2), at: `${D(-2)}T06:00:00Z` }
	]);
	await postCommitment(node, cookie, { id: `C-${sku}`, customer, sku, qty: 120, requestedDate: D(4), promisedDate: D(4), site: 'S', status: 'confirmed' });
	await settled(node.db);
	return {
		slip: () => postEvents(node, { id: `${sku}-slip`, type: 'po', sku, site: 'S', qty: 50, po: `PO-${sku}`, eta: D(9), at: `${D(-1)}T06:00:00Z` })
	};
}

export async function liveAlerts(db: TestServices, sku: string) {
	return db.sql<{ id: string; kind: string; severity: string; status: string }[]>`
		select id, kind, severity, status from alerts where sku = ${sku} and status <> 'resolved' order by severity`;
}
