import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../contract/domain.ts';
import { can, canSeeSite, changeEndsSessions, TOKEN_SCOPES, userChangeRefusal, type Action, type Principal, type TokenScope } from './access.policy.ts';

const token = (scope: TokenScope, board: string | null = null): Principal => ({ kind: 'token', tokenId: 't', name: 'n', scope, board, sites: null });
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
		expect(can(token('ingest'), 'events:ingest')).toBe(true);
		expect(can(token('display', 'main'), 'events:ingest')).toBe(false);
		expect(can({ kind: 'bootstrap-ingest' }, 'events:ingest')).toBe(true);
	});

	it('gives display and read tokens nothing that writes', () => {
		const writes: Action[] = ['events:ingest', 'alerts:ack', 'commitments:write', 'board:write', 'handoff:write', 'admin', 'users:manage', 'tokens:manage', 'boards:manage', 'boards:create', 'catalog:manage', 'audit:read'];
		for (const scope of ['read', 'display'] as const) {
			for (const a of writes) expect(can(token(scope), a)).toBe(false);
		}
		for (const a of writes) expect(can(user('viewer'), a)).toBe(false);
	});

	it('lets a metrics token scrape metrics and nothing else; webhooks and metrics are otherwise the admin\'s', () => {
		const metrics = token('metrics');
		expect(can(metrics, 'metrics:read')).toBe(true);
		for (const a of ['positions:read', 'alerts:read', 'board:read', 'events:ingest', 'webhooks:manage', 'admin'] as Action[]) expect(can(metrics, a), a).toBe(false);
		expect([can(user('admin'), 'webhooks:manage'), can(user('admin'), 'metrics:read')]).toEqual([true, true]);
		for (const role of ['ops', 'sales', 'viewer'] as const) expect([can(user(role), 'webhooks:manage'), can(user(role), 'metrics:read')], role).toEqual([false, false]);
		for (const scope of ['ingest', 'read', 'display'] as const) expect(can(token(scope), 'metrics:read')).toBe(false);
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

	it('keeps the admin area to admin users: no other role and no token of any scope', () => {
		const adminActions: Action[] = ['admin', 'users:manage', 'tokens:manage', 'catalog:manage', 'audit:read'];
		for (const a of adminActions) {
			expect(ROLES.filter((r) => can(user(r), a))).toEqual(['admin']);
			for (const scope of TOKEN_SCOPES) expect(can(token(scope), a)).toBe(false);
			expect(can({ kind: 'bootstrap-ingest' }, a)).toBe(false);
		}
	});

	describe('user changes', () => {
		const admin = { ...user('admin'), userId: 'me' } as Principal;
		const other = { id: 'other', role: 'admin' as Role, disabled: false };

		it('refuses non-admins', () => {
			expect(userChangeRefusal(user('ops'), other, { role: 'viewer' }, 5)).toMatch(/only admins/);
		});
		it('refuses disabling or demoting yourself', () => {
			const me = { id: 'me', role: 'admin' as Role, disabled: false };
			expect(userChangeRefusal(admin, me, { disabled: true }, 5)).toMatch(/your own account/);
			expect(userChangeRefusal(admin, me, { role: 'ops' }, 5)).toMatch(/your own role/);
			expect(userChangeRefusal(admin, me, { role: 'admin' }, 1)).toBeNull();
		});
		it('keeps the last active admin', () => {
			expect(userChangeRefusal(admin, other, { role: 'ops' }, 1)).toMatch(/last active admin/);
			expect(userChangeRefusal(admin, other, { disabled: true }, 1)).toMatch(/last active admin/);
			expect(userChangeRefusal(admin, other, { role: 'ops' }, 2)).toBeNull();
			expect(userChangeRefusal(admin, { ...other, disabled: true }, { role: 'ops' }, 1)).toBeNull();
			expect(userChangeRefusal(admin, { ...other, role: 'sales' }, { disabled: true }, 1)).toBeNull();
		});
		it('ends sessions when role, sites, password or enablement change', () => {
			expect(changeEndsSessions({})).toBe(false);
			expect(changeEndsSessions({ disabled: false })).toBe(false);
			expect(changeEndsSessions({ role: 'viewer' })).toBe(true);
			expect(changeEndsSessions({ disabled: true })).toBe(true);
			expect(changeEndsSessions({ sites: ['A'] })).toBe(true);
			expect(changeEndsSessions({ password: 'x' })).toBe(true);
		});
	});
});
