import type { Principal } from '../../src/lib/policy/access.policy.ts';
import { mayOpenBoard, type SiteScope } from '../../src/lib/policy/board-scope.policy.ts';
import type { Logger } from '../logger.ts';
import { CLOSE_CODES } from './yjs/yjs.protocol.ts';
import type { YjsServer } from './yjs/yjs.transport.ts';

export const REVALIDATE_MS = 5_000;

export interface RevalidatorOptions {
	/** Principals of the connections open right now. */
	principals(): Principal[];
	/** Of those, the ones whose session or token is no longer live (AuthService.revoked). */
	revoked(principals: Principal[]): Promise<Set<Principal>>;
	/** Closes every connection of these principals. */
	cut(dead: Set<Principal>): void;
	log: Logger;
	everyMs?: number;
}

/**
 * A revoked session, a disabled user or a revoked token must lose its open sockets within seconds,
 * not at the next reconnect. One batched check per tick for every open connection of a channel; a
 * failed check (database away) cuts nobody, and ticks never overlap.
 */
export function startRevalidation(o: RevalidatorOptions): () => void {
	let running = false;
	const timer = setInterval(async () => {
		if (running) return;
		running = true;
		try {
			const principals = o.principals();
			if (principals.length === 0) return;
			const dead = await o.revoked(principals);
			if (dead.size > 0) o.cut(dead);
		} catch (err) {
			o.log.warn({ err }, 'revalidating open connections failed; trying again next tick');
		} finally {
			running = false;
		}
	}, o.everyMs ?? REVALIDATE_MS);
	timer.unref();
	return () => clearInterval(timer);
}

/**
 * The board channel's loop. The Yjs server lists its connections only through `disconnect(match)`,
 * so one pass with a match that never matches collects the principals; revoked ones close with 4401.
 */
export function revalidateYjs(
	yjs: Pick<YjsServer, 'disconnect'>,
	revoked: (principals: Principal[]) => Promise<Set<Principal>>,
	log: Logger,
	everyMs?: number
): () => void {
	return startRevalidation({
		principals: () => {
			const seen: Principal[] = [];
			yjs.disconnect((c) => (seen.push(c.principal), false));
			return seen;
		},
		revoked,
		cut: (dead) => void yjs.disconnect((c) => dead.has(c.principal), CLOSE_CODES.unauthorised, 'access revoked'),
		log,
		everyMs
	});
}

/**
 * A board re-scoped while people have it open: those who no longer cover it (or a display token
 * whose board it is not) are closed with 4403 within a tick. `scopeOf` is BoardsService's cached
 * read, so a tick costs at most one query per open board, and another node's change shows once
 * the cache entry expires. A failed read cuts nobody.
 */
export function revalidateBoardScopes(
	yjs: Pick<YjsServer, 'disconnect'>,
	scopeOf: (boardId: string) => Promise<SiteScope>,
	log: Logger,
	everyMs = REVALIDATE_MS
): () => void {
	let running = false;
	const timer = setInterval(async () => {
		if (running) return;
		running = true;
		try {
			const boards = new Set<string>();
			yjs.disconnect((c) => (boards.add(c.boardId), false));
			const scopes = new Map<string, SiteScope>();
			for (const boardId of boards) scopes.set(boardId, await scopeOf(boardId));
			// Display tokens carry their board's scope from when they connected: the auth loop reconnects them (4401).
			const display = (p: Principal) => p.kind === 'token' && p.scope === 'display';
			const refused = (c: { boardId: string; principal: Principal }) =>
				!display(c.principal) && scopes.has(c.boardId) && !mayOpenBoard(c.principal, c.boardId, scopes.get(c.boardId)!);
			yjs.disconnect(refused, CLOSE_CODES.forbidden, 'board re-scoped');
		} catch (err) {
			log.warn({ err }, 'checking open boards against their scope failed; trying again next tick');
		} finally {
			running = false;
		}
	}, everyMs);
	timer.unref();
	return () => clearInterval(timer);
}
