// Who may read and change what. Pure: the HTTP routes, the Socket.IO handlers and the Yjs endpoint
// all ask this module, so there is exactly one answer per question.
import type { Role } from '../contract/domain.ts';

export const TOKEN_SCOPES = ['ingest', 'read', 'display', 'metrics'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Who is on the other end of a request or socket, after authentication. */
export type Principal =
	| { kind: 'user'; userId: string; sessionId: string; email: string; name: string; role: Role; sites: string[] | null }
	/**
	 * An API or display token. `board`: the one board a display token belongs to (null for other
	 * scopes); `sites`: what it may see — a display token its board's scope, read when authenticated.
	 */
	| { kind: 'token'; tokenId: string; name: string; scope: TokenScope; board: string | null; sites: string[] | null }
	| { kind: 'bootstrap-ingest' };

export type Action =
	| 'events:ingest'
	| 'positions:read'
	| 'alerts:read'
	| 'alerts:ack'
	| 'commitments:read'
	| 'commitments:write'
	| 'board:read'
	| 'board:write'
	/** A wall screen: its snapshot (`/api/wall/:board`) and page. */
	| 'wall:read'
	/** The Socket.IO feed (positions, alerts, commitment verdicts of the principal's sites). */
	| 'live:read'
	/** Shift handoff notes through the API (walls get them inside their snapshot). */
	| 'handoff:read'
	/**
	 * Open a board nobody created yet, which creates it with scope all (needs every site too): whoever
	 * edits boards may start one, as before boards had scopes; only admins re-scope them.
	 */
	| 'boards:create'
	/** Write the shift handoff note of a site. */
	| 'handoff:write'
	/** Record, edit and withdraw demand signals (sales knowledge ahead of the numbers). */
	| 'signals:write'
	/** Move a SKU to another lifecycle stage, with a reason. */
	| 'lifecycle:write'
	/** Upload CSV files at all; each kind also needs the action its rows amount to (importAction). */
	| 'import'
	/** Reach the admin area at all. */
	| 'admin'
	| 'users:manage'
	| 'tokens:manage'
	/** List, create and re-scope boards. */
	| 'boards:manage'
	| 'catalog:manage'
	| 'audit:read'
	/** Configure alert webhooks (they send alert contents off-site). */
	| 'webhooks:manage'
	/** Scrape GET /metrics (Prometheus). */
	| 'metrics:read';

const ADMIN_ONLY: readonly Action[] = ['admin', 'users:manage', 'tokens:manage', 'boards:manage', 'catalog:manage', 'audit:read', 'webhooks:manage', 'metrics:read'];

/** What every signed-in person may read. */
const READER: readonly Action[] = ['positions:read', 'alerts:read', 'commitments:read', 'board:read', 'wall:read', 'live:read', 'handoff:read'];

/** What sales and ops each know and must share (issue 7): both sides write it. */
const SHARED_KNOWLEDGE: readonly Action[] = ['signals:write', 'lifecycle:write', 'import'];

const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
	admin: [...READER, 'events:ingest', 'alerts:ack', 'commitments:write', 'board:write', 'boards:create', 'handoff:write', ...SHARED_KNOWLEDGE, ...ADMIN_ONLY],
	ops: [...READER, 'events:ingest', 'alerts:ack', 'commitments:write', 'board:write', 'boards:create', 'handoff:write', ...SHARED_KNOWLEDGE],
	sales: [...READER, 'commitments:write', 'board:write', 'boards:create', ...SHARED_KNOWLEDGE],
	viewer: [...READER]
};

const SCOPE_ACTIONS: Record<TokenScope, readonly Action[]> = {
	ingest: ['events:ingest'],
	read: [...READER],
	// A wall screen, nothing else (DESIGN "The board's trust model"): its board's document, its wall
	// snapshot and the live alerts of its sites. Which board and which sites is in the principal.
	display: ['alerts:read', 'board:read', 'wall:read', 'live:read'],
	// A scraper reads operational figures only, never business data.
	metrics: ['metrics:read']
};

export function can(p: Principal | null | undefined, action: Action): boolean {
	if (!p) return false;
	switch (p.kind) {
		case 'user':
			return ROLE_ACTIONS[p.role].includes(action);
		case 'token':
			return SCOPE_ACTIONS[p.scope].includes(action);
		case 'bootstrap-ingest':
			return action === 'events:ingest';
	}
}

/** Sites whose positions and alerts the principal may see; null means every site. */
export function visibleSites(p: Principal): string[] | null {
	return p.kind === 'bootstrap-ingest' ? null : p.sites;
}

/** The one board a display token belongs to; null for every other principal. */
export function boardOfToken(p: Principal): string | null {
	return p.kind === 'token' && p.scope === 'display' ? p.board : null;
}

export function canSeeSite(p: Principal, site: string | null): boolean {
	const sites = visibleSites(p);
	return sites === null || site === null || sites.includes(site);
}

export function principalLabel(p: Principal): string {
	switch (p.kind) {
		case 'user':
			return p.email;
		case 'token':
			return `token:${p.name}`;
		case 'bootstrap-ingest':
			return 'INGEST_TOKEN';
	}
}

/** Whether a principal authenticated by a session (cookie) rather than by a bearer token. */
export function isSession(p: Principal | null | undefined): p is Extract<Principal, { kind: 'user' }> {
	return p?.kind === 'user';
}

export interface UserState {
	id: string;
	role: Role;
	disabled: boolean;
}

/**
 * Why an admin may not make this change to a user, or null when it is fine. Guards against locking
 * everyone out: nobody disables or demotes themselves, and the last active admin stays an admin.
 * `activeAdmins` counts enabled admins before the change.
 */
export function userChangeRefusal(
	actor: Principal,
	target: UserState,
	change: { role?: Role; disabled?: boolean },
	activeAdmins: number
): string | null {
	if (!can(actor, 'users:manage')) return 'only admins manage users';
	const self = actor.kind === 'user' && actor.userId === target.id;
	const demoted = change.role !== undefined && change.role !== 'admin';
	if (self && change.disabled) return 'you cannot disable your own account';
	if (self && demoted) return 'you cannot change your own role';
	const losesAdmin = target.role === 'admin' && !target.disabled && (demoted || change.disabled === true);
	if (losesAdmin && activeAdmins <= 1) return 'the last active admin must stay an active admin';
	return null;
}

/** A change to these user fields changes what their open sessions may do, so those sessions end. */
export function changeEndsSessions(change: { role?: Role; disabled?: boolean; sites?: unknown; password?: unknown }): boolean {
	return change.role !== undefined || change.disabled === true || change.sites !== undefined || change.password !== undefined;
}

/**
 * What a CSV import of each kind amounts to: the catalog is the admin's, stock counts and PO lines
 * are inventory events, commitments are commitment writes (then under the field-ownership rules).
 */
export function importAction(kind: 'sites' | 'skus' | 'stock' | 'pos' | 'commitments' | 'lanes'): Action {
	switch (kind) {
		case 'sites':
		case 'skus':
		case 'lanes':
			return 'catalog:manage';
		case 'stock':
		case 'pos':
			return 'events:ingest';
		case 'commitments':
			return 'commitments:write';
	}
}
