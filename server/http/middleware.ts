import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { can, type Action } from '../../src/lib/policy/access.policy.ts';
import type { Logger } from '../logger.ts';
import { AppError, DependencyUnavailableError, ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../services/errors.ts';
import { bearerToken, isCrossOrigin, principalOf, sessionCookie } from '../auth/credentials.ts';
import type { RateLimits } from '../services/rate-limit.service.ts';
import type { Services } from '../services/services.ts';
import { isUnavailableError } from '../../src/lib/server/unavailable.ts';
import { sendUnavailable } from './unavailable.ts';

const WALL_PAGE = /^\/wall(\/|$)/;

/**
 * Kiosk browsers cannot send headers, so wall pages (and their __data.json) take a display token as
 * `?token=`. Only there, only for reads, and only display scope: an ingest token in a URL gets nothing.
 */
function wallPageToken(req: Request): string | undefined {
	if ((req.method !== 'GET' && req.method !== 'HEAD') || !WALL_PAGE.test(req.path)) return undefined;
	const token = req.query.token;
	return typeof token === 'string' && token ? token : undefined;
}

/** Resolves the principal from a Bearer token or the session cookie; anonymous requests pass through. */
export function authenticate(services: Services): RequestHandler {
	return async (req, _res, next) => {
		const bearer = bearerToken(req);
		const wallToken = wallPageToken(req);
		if (bearer !== undefined) {
			req.principal = await principalOf(services.auth, { token: bearer });
			if (!req.principal) return next(new UnauthorizedError('invalid or revoked token'));
		} else if (wallToken) {
			// An invalid token leaves the request anonymous: the wall page itself says the token is bad.
			const p = await principalOf(services.auth, { token: wallToken });
			req.principal = p?.kind === 'token' && p.scope === 'display' ? p : null;
		} else {
			req.principal = await principalOf(services.auth, { cookie: sessionCookie(req) });
		}
		req.pb = { principal: req.principal, services };
		next();
	};
}

/**
 * A display token shows one wall (DESIGN "The board's trust model"): it reads its wall's page and
 * snapshot and the alerts of its board's sites (the service filters them); every other route,
 * including any added later, answers 403. Its board's document and live feed are the Yjs and
 * Socket.IO endpoints' business.
 */
export function confineDisplayTokens(): RequestHandler {
	return (req, _res, next) => {
		const p = req.principal;
		if (p?.kind !== 'token' || p.scope !== 'display') return next();
		const reads = req.method === 'GET' || req.method === 'HEAD';
		if (reads && displayMayRead(p.board, req.path)) return next();
		next(new ForbiddenError(`a display token shows the wall of board ${p.board ?? '(none)'} and nothing else`));
	};
}

// Wall pages (and their __data.json) of any board pass: the page's load refuses another board's wall
// itself, through the same policy, with a message a person at the kiosk can act on.
const WALL_PAGE_PATH = /^\/wall\/[^/]+\/?(__data\.json)?$/;

function displayMayRead(board: string | null, path: string): boolean {
	if (path === '/api/alerts' || WALL_PAGE_PATH.test(path)) return true;
	return board !== null && path === `/api/wall/${board}`;
}

export function requireAction(action: Action): RequestHandler {
	return (req, _res, next) => {
		if (!req.principal) return next(new UnauthorizedError());
		if (!can(req.principal, action)) return next(new ForbiddenError(`your role may not ${action.replace(':', ' ')}`));
		next();
	};
}

/**
 * Writes must come from our own pages unless they carry a bearer token (never sent by a browser on
 * its own). A foreign Origin is refused even without a cookie (no signing a victim into the
 * attacker's account); a missing Origin is refused when a cookie would authenticate the write.
 */
export function originCheck(allowed: string[]): RequestHandler {
	return (req, _res, next) => {
		if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
		if (bearerToken(req) !== undefined) return next();
		if (req.headers.origin ? !isCrossOrigin(req, allowed) : !req.headers.cookie) return next();
		next(new ForbiddenError('cross-origin request refused'));
	};
}

/** Per-token (or per-user) request rate on ingestion; anonymous and unauthorised callers fall through to 401/403. */
export function ingestRateLimit(limits: RateLimits): RequestHandler {
	return async (req, _res, next) => {
		const p = req.principal;
		if (!p || !can(p, 'events:ingest')) return next();
		try {
			await limits.ingest(p);
			next();
		} catch (err) {
			next(err);
		}
	};
}

/** Maps thrown errors to JSON answers; a stack trace never leaves the process. */
export function errorHandler(log: Logger) {
	return (err: unknown, req: Request, res: Response, next: NextFunction) => {
		if (res.headersSent) {
			// The deadline answered 503 already and the handler finished (or failed) later: nothing to add.
			if (res.writableEnded) return;
			return next(err);
		}
		if (isUnavailableError(err)) {
			log.warn({ err: (err as Error).message, method: req.method, url: req.originalUrl }, 'dependency unavailable');
			return sendUnavailable(req, res, err instanceof DependencyUnavailableError ? err.message : undefined);
		}
		if (err instanceof AppError) {
			if (err instanceof TooManyRequestsError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
			res.status(err.status).json({ error: err.message, ...(err.details ? { errors: err.details } : {}) });
			return;
		}
		const e = err as { type?: string; status?: number; message?: string };
		if (e.type === 'entity.too.large') {
			res.status(413).json({ error: 'request body too large' });
			return;
		}
		if (e.type === 'entity.parse.failed') {
			res.status(400).json({ error: 'malformed JSON' });
			return;
		}
		if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
			res.status(e.status).json({ error: e.message ?? 'bad request' });
			return;
		}
		log.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
		res.status(500).json({ error: 'internal error' });
	};
}
