import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMITMENT_ID_PATTERN, commitmentIdSchema } from '../contract/commitments.ts';
import type { Role } from '../contract/domain.ts';
import type { Principal } from './access.policy.ts';
import {
	boardRefusal,
	intersectScopes,
	mayCreateBoard,
	mayOpenBoard,
	normaliseScope,
	principalCoversBoard,
	siteInScope,
	siteScopeRefusal,
	sitesCover,
	type SiteScope
} from './board-scope.policy.ts';

const user = (role: Role, sites: string[] | null = null): Principal => ({ kind: 'user', userId: 'u', sessionId: 's', email: `${role}@x`, name: role, role, sites });
const display = (board: string | null, sites: string[] | null): Principal => ({ kind: 'token', tokenId: 't', name: 'wall', scope: 'display', board, sites });
const readToken: Principal = { kind: 'token', tokenId: 't', name: 'bi', scope: 'read', board: null, sites: null };

const SITES = ['A', 'B', 'C', 'D'];
const scopeArb: fc.Arbitrary<SiteScope> = fc.option(fc.subarray(SITES, { minLength: 1 }), { nil: null });
const siteArb = fc.option(fc.constantFrom(...SITES, 'Z'), { nil: null });

describe('siteInScope', () => {
	it('lets a card without a site onto every board, and a placed card only inside the scope', () => {
		expect(siteInScope(['A'], null)).toBe(true);
		expect(siteInScope(null, 'Z')).toBe(true);
		expect(siteInScope(['A', 'B'], 'B')).toBe(true);
		expect(siteInScope(['A', 'B'], 'C')).toBe(false);
		expect(siteScopeRefusal('north', ['A', 'B'], 'C')).toBe('site C is outside the scope of board north (A, B)');
		expect(siteScopeRefusal('north', ['A'], 'A')).toBeNull();
	});

	it('agrees with "no site, every site, or one of the listed sites" on random input', () => {
		fc.assert(
			fc.property(scopeArb, siteArb, (scope, site) => {
				const reference = site === null || scope === null || scope.some((s) => s === site);
				expect(siteInScope(scope, site)).toBe(reference);
			})
		);
	});
});

describe('principalCoversBoard', () => {
	it('lets a user of every site open every board', () => {
		expect(principalCoversBoard(user('sales'), null)).toBe(true);
		expect(principalCoversBoard(user('sales'), ['A'])).toBe(true);
	});

	it('lets a user of [A, B] open a board of [A] but not one of every site or of [A, C]', () => {
		const p = user('ops', ['A', 'B']);
		expect(principalCoversBoard(p, ['A'])).toBe(true);
		expect(principalCoversBoard(p, ['A', 'B'])).toBe(true);
		expect(principalCoversBoard(p, null)).toBe(false);
		expect(principalCoversBoard(p, ['A', 'C'])).toBe(false);
	});

	it('covers exactly when the scope is a subset of the sites (every site covering all) on random input', () => {
		fc.assert(
			fc.property(scopeArb, scopeArb, (sites, scope) => {
				const reference = sites === null || (scope !== null && scope.every((s) => sites.includes(s)));
				expect(sitesCover(sites, scope)).toBe(reference);
				expect(principalCoversBoard(user('viewer', sites), scope)).toBe(reference);
				// Whoever covers a board sees every site a card on it may ship from.
				if (reference) for (const site of scope ?? []) expect(siteInScope(sites, site)).toBe(true);
			})
		);
	});
});

describe('boardRefusal', () => {
	it('keeps a display token to its own board, whatever the scopes', () => {
		expect(mayOpenBoard(display('lobby', null), 'lobby', null)).toBe(true);
		expect(boardRefusal(display('lobby', null), 'main', null)).toMatch(/display token belongs to another board/);
		// A token without a board (none exist: the database forbids it) opens nothing.
		expect(mayOpenBoard(display(null, null), 'main', null)).toBe(false);
		// Its sites are its board's scope as read when it connected; a wider scope since refuses it.
		expect(mayOpenBoard(display('north', ['A']), 'north', ['A'])).toBe(true);
		expect(mayOpenBoard(display('north', ['A']), 'north', ['A', 'B'])).toBe(false);
	});

	it('refuses principals that may not read boards, and names the sites a user misses', () => {
		expect(boardRefusal({ kind: 'bootstrap-ingest' }, 'main', null)).toMatch(/does not include boards/);
		expect(boardRefusal({ kind: 'token', tokenId: 't', name: 'feed', scope: 'ingest', board: null, sites: null }, 'main', null)).not.toBeNull();
		expect(boardRefusal(user('sales', ['A']), 'main', null)).toBe('board main covers sites you do not follow (every site)');
		expect(boardRefusal(readToken, 'north', ['A'])).toBeNull();
	});
});

describe('mayCreateBoard', () => {
	it('lets only people who edit boards and follow every site create a board by opening it', () => {
		expect(mayCreateBoard(user('admin'))).toBe(true);
		expect(mayCreateBoard(user('ops'))).toBe(true);
		expect(mayCreateBoard(user('sales'))).toBe(true);
		expect(mayCreateBoard(user('ops', ['A']))).toBe(false);
		expect(mayCreateBoard(user('sales', ['A']))).toBe(false);
		expect(mayCreateBoard(user('viewer'))).toBe(false);
		expect(mayCreateBoard(readToken)).toBe(false);
		expect(mayCreateBoard(display('main', null))).toBe(false);
	});
});

describe('scopes', () => {
	it('intersects, null being every site', () => {
		expect(intersectScopes(null, null)).toBeNull();
		expect(intersectScopes(null, ['A'])).toEqual(['A']);
		expect(intersectScopes(['A', 'B'], null)).toEqual(['A', 'B']);
		expect(intersectScopes(['A', 'B'], ['B', 'C'])).toEqual(['B']);
	});

	it('spells a scope one way', () => {
		expect(normaliseScope(['B', 'A', 'B'])).toEqual(['A', 'B']);
		expect(normaliseScope(null)).toBeNull();
	});
});

describe('commitment ids', () => {
	it('follow the contract pattern', () => {
		for (const ok of ['c1', 'C-1', '0', 'acme.2026:po_7-x', 'x'.repeat(128)]) expect(commitmentIdSchema.safeParse(ok).success, ok).toBe(true);
		for (const bad of ['', '-c1', '.c', '_c', ':c', 'a b', 'a/b', 'x'.repeat(129), 'é', '__proto__', 'c\n']) expect(commitmentIdSchema.safeParse(bad).success, bad).toBe(false);
	});

	it('accept exactly the strings the contract regex accepts', () => {
		const contract = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom(...'aZ09._:-/ _é\n'.split('')), maxLength: 130 }), (s) => {
				expect(COMMITMENT_ID_PATTERN.test(s)).toBe(contract.test(s));
			})
		);
	});
});
