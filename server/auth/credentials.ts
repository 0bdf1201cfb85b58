import type { IncomingMessage } from 'node:http';
import { parse as parseCookies } from 'cookie';
import type { Principal } from '../../src/lib/policy/access.policy.ts';
import { SESSION_COOKIE, type AuthService } from '../services/auth.service.ts';

/**
 * How every way in (Express, the Socket.IO handshake, the Yjs upgrade) tells who is calling: a
 * token, or the session cookie. Written once so the three cannot drift apart.
 */
export type Credentials = { token: string } | { cookie: string | undefined };

export type Authenticator = Pick<AuthService, 'fromBearer' | 'fromCookie'>;

export function principalOf(auth: Authenticator, c: Credentials): Promise<Principal | null> {
	return 'token' in c ? auth.fromBearer(c.token) : auth.fromCookie(c.cookie);
}

/** The session cookie a request carries, if any. */
export function sessionCookie(req: Pick<IncomingMessage, 'headers'>): string | undefined {
	return parseCookies(req.headers.cookie ?? '')[SESSION_COOKIE];
}

/** The bearer token of an Authorization header, if that is what it carries. */
export function bearerToken(req: Pick<IncomingMessage, 'headers'>): string | undefined {
	const header = req.headers.authorization;
	return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * The credentials of a WebSocket handshake (Socket.IO, Yjs): the token the client gave, else the
 * session cookie, unless a page of another origin opened the socket; its cookie authenticates
 * nothing (cross-site WebSocket hijacking).
 */
export function handshakeCredentials(req: IncomingMessage, token: string | null | undefined, allowedOrigins: string[]): Credentials | 'cross-origin' {
	if (token) return { token };
	if (isCrossOrigin(req, allowedOrigins)) return 'cross-origin';
	return { cookie: sessionCookie(req) };
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/** The host the client addressed; a loopback proxy (the only one trusted) may say it in X-Forwarded-Host. */
export function requestHost(req: IncomingMessage): string | undefined {
	const forwarded = req.headers['x-forwarded-host'];
	if (typeof forwarded === 'string' && LOOPBACK.test(req.socket.remoteAddress ?? '')) return forwarded.split(',')[0].trim();
	return req.headers.host;
}

/**
 * True when a page of another origin made this request: browsers send Origin on every cross-site
 * POST and on every WebSocket handshake. Ours is any scheme on the host the client addressed.
 */
export function isCrossOrigin(req: IncomingMessage, allowed: string[]): boolean {
	const origin = req.headers.origin;
	if (!origin || allowed.includes(origin)) return false;
	try {
		return new URL(origin).host !== requestHost(req);
	} catch {
		return true; // "null" (sandboxed frames, file:) and garbage
	}
}
