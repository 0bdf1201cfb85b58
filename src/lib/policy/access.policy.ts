// Who may read and change what. Pure: the HTTP routes, the Socket.IO handlers and the Yjs endpoint
// all ask this module, so there is exactly one answer per question.
import type { Role } from '../contract/domain';

export type TokenScope = 'ingest' | 'read' | 'display';

/** Who is on the other end of a request or socket, after authentication. */
export type Principal =
	| { kind: 'user'; userId: string; sessionId: string; email: string; name: string; role: Role; sites: string[] | null }
	| { kind: 'token'; tokenId: string; name: string; scope: TokenScope }
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
	| 'admin';

const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
	admin: ['events:ingest', 'positions:read', 'alerts:read', 'alerts:ack', 'commitments:read', 'commitments:write', 'board:read', 'board:write', 'admin'],
	ops: ['events:ingest', 'positions:read', 'alerts:read', 'alerts:ack', 'commitments:read', 'commitments:write', 'board:read', 'board:write'],
	sales: ['positions:read', 'alerts:read', 'commitments:read', 'commitments:write', 'board:read', 'board:write'],
	viewer: ['positions:read', 'alerts:read', 'commitments:read', 'board:read']
};

const SCOPE_ACTIONS: Record<TokenScope, readonly Action[]> = {
	ingest: ['events:ingest'],
	read: ['positions:read', 'alerts:read', 'commitments:read', 'board:read'],
	display: ['positions:read', 'alerts:read', 'commitments:read', 'board:read']
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
	return p.kind === 'user' ? p.sites : null;
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
