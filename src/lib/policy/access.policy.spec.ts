import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../contract/domain';
import { can, canSeeSite, type Action, type Principal } from './access.policy';

const user = (role: Role, sites: string[] | null = null): Principal => ({
	kind: 'user',
	userId: 'u',
	sessionId: 's',
	email: `${role}@x`,
	name: role,
	role,
	sites
});

describe('access policy', () => {
	it('lets only ops and admin users and ingest tokens post events', () => {
		const allowed = ROLES.filter((r) => can(user(r), 'events:ingest'));
		expect(allowed).toEqual(['admin', 'ops']);
		expect(can({ kind: 'token', tokenId: 't', name: 'feed', scope: 'ingest' }, 'events:ingest')).toBe(true);
		expect(can({ kind: 'token', tokenId: 't', name: 'wall', scope: 'display' }, 'events:ingest')).toBe(false);
		expect(can({ kind: 'bootstrap-ingest' }, 'events:ingest')).toBe(true);
	});

	it('gives display and read tokens nothing that writes', () => {
		const writes: Action[] = ['events:ingest', 'alerts:ack', 'commitments:write', 'board:write', 'admin'];
		for (const scope of ['read', 'display'] as const) {
			for (const a of writes) expect(can({ kind: 'token', tokenId: 't', name: 'n', scope }, a)).toBe(false);
		}
		for (const a of writes) expect(can(user('viewer'), a)).toBe(false);
	});

	it('refuses everything to nobody', () => {
		expect(can(null, 'positions:read')).toBe(false);
		expect(can({ kind: 'bootstrap-ingest' }, 'positions:read')).toBe(false);
	});

	it('limits users who follow sites to those sites', () => {
		const p = user('ops', ['WH-A']);
		expect(canSeeSite(p, 'WH-A')).toBe(true);
		expect(canSeeSite(p, 'WH-B')).toBe(false);
		expect(canSeeSite(user('ops'), 'WH-B')).toBe(true);
	});
});
