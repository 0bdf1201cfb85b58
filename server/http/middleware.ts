import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { can, type Action } from '../../src/lib/policy/access.policy.ts';
import type { Logger } from '../logger.ts';
import { AppError, ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../services/errors.ts';
import { SESSION_COOKIE } from '../services/auth.service.ts';
import type { Services } from '../services/services.ts';

/** Resolves the principal from a Bearer token or the session cookie; anonymous requests pass through. */
export function authenticate(services: Services): RequestHandler {
	return async (req, _res, next) => {
		const header = req.headers.authorization;
		if (header?.startsWith('Bearer ')) {
			req.principal = await services.auth.fromBearer(header.slice(7).trim());
			if (!req.principal) return next(new UnauthorizedError('invalid or revoked token'));
		} else {
			const cookies = parseCookies(req.headers.cookie ?? '');
			req.principal = await services.auth.fromCookie(cookies[SESSION_COOKIE]);
		}
		req.pb = { principal: req.principal, services };
		next();
	};
}

export function requireAction(action: Action): RequestHandler {
	return (req, _res, next) => {
		if (!req.principal) return next(new UnauthorizedError());
		if (!can(req.principal, action)) return next(new ForbiddenError(`your role may not ${action.replace(':', ' ')}`));
		next();
	};
}

/**
 * Cookie-authenticated writes must come from our own pages: a browser always sends Origin on
 * cross-site POSTs, so a foreign Origin (or a missing one with a cookie) is refused.
 */
export function originCheck(allowed: string[]): RequestHandler {
	return (req, _res, next) => {
		if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
		if (req.headers.authorization?.startsWith('Bearer ')) return next();
		if (!req.headers.cookie) return next();
		const origin = req.headers.origin;
		const own = `${req.protocol}://${req.headers.host}`;
		if (origin && (origin === own || allowed.includes(origin))) return next();
		next(new ForbiddenError('cross-origin request refused'));
	};
}

/** Maps thrown errors to JSON answers; a stack trace never leaves the process. */
export function errorHandler(log: Logger) {
	return (err: unknown, req: Request, res: Response, next: NextFunction) => {
		if (res.headersSent) return next(err);
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
