// Boards and their site scope (CONTRACT "Additions of wave 2"). Pure, like the rest of the policy:
// the Yjs endpoint, the board guard, the REST routes, the wall and the pages all ask this module.
import { can, visibleSites, type Principal } from './access.policy.ts';

/** Site codes a board (or a principal) is limited to; null means every site. */
export type SiteScope = string[] | null;

/** Whether a card shipping from `site` may be on a board of `scope`. A card with no site yet fits every board. */
export function siteInScope(scope: SiteScope, site: string | null): boolean {
	return site === null || scope === null || scope.includes(site);
}

/** Whether following `sites` covers every site of `scope`. Only "every site" covers a board of every site. */
export function sitesCover(sites: SiteScope, scope: SiteScope): boolean {
	if (sites === null) return true;
	if (scope === null) return false;
	return scope.every((s) => sites.includes(s));
}

/**
 * Whether the principal sees every site of a board of `scope`: a user following [A, B] covers a
 * board of [A] but not one of every site. A display token's sites are its own board's scope.
 */
export function principalCoversBoard(p: Principal, scope: SiteScope): boolean {
	return sitesCover(visibleSites(p), scope);
}

/**
 * Why `p` may not open board `boardId` of `scope` (its document, page, list, wall), or null when it
 * may. A display token opens its own board only, whatever the scopes say.
 */
export function boardRefusal(p: Principal, boardId: string, scope: SiteScope): string | null {
	if (!can(p, 'board:read')) return 'your access does not include boards';
	if (p.kind === 'token' && p.scope === 'display' && p.board !== boardId) return `this display token belongs to another board than ${boardId}`;
	if (!principalCoversBoard(p, scope)) return `board ${boardId} covers sites you do not follow (${describeScope(scope)})`;
	return null;
}

export function mayOpenBoard(p: Principal, boardId: string, scope: SiteScope): boolean {
	return boardRefusal(p, boardId, scope) === null;
}

/**
 * Whether `p` may bring a board nobody created yet into being by opening or writing it; such a
 * board gets scope all, so only someone who edits boards and follows every site may.
 */
export function mayCreateBoard(p: Principal): boolean {
	return can(p, 'boards:create') && visibleSites(p) === null;
}

/** Sites in both scopes: what a view of a board shows a principal (its sites within the board's). */
export function intersectScopes(a: SiteScope, b: SiteScope): SiteScope {
	if (a === null) return b;
	if (b === null) return a;
	return a.filter((s) => b.includes(s));
}

/** Why a card's site does not fit the board, or null when it does. */
export function siteScopeRefusal(boardId: string, scope: SiteScope, site: string | null): string | null {
	return siteInScope(scope, site) ? null : `site ${site} is outside the scope of board ${boardId} (${describeScope(scope)})`;
}

export function describeScope(scope: SiteScope): string {
	return scope === null ? 'every site' : scope.join(', ');
}

/** One spelling of a scope: sorted, without duplicates; an empty list is not a scope (use null). */
export function normaliseScope(scope: readonly string[] | null): SiteScope {
	return scope === null ? null : [...new Set(scope)].sort();
}
