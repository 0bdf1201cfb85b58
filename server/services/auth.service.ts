import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { sign, unsign } from 'cookie-signature';
import { principalLabel, type Principal, type TokenScope } from '../../src/lib/policy/access.policy.ts';
import type { AuditRepository } from '../repositories/audit.repository.ts';
import type { TokensRepository } from '../repositories/tokens.repository.ts';
import type { UsersRepository } from '../repositories/users.repository.ts';
import type { Role } from '../../src/lib/contract/domain.ts';
import { NotFoundError, UnauthorizedError } from './errors.ts';
import type { RateLimits } from './rate-limit.service.ts';
import { isUnavailableError } from '../../src/lib/server/unavailable.ts';

export const SESSION_COOKIE = 'pb_session';
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
// Verifying against a real hash when the e-mail is unknown keeps the answer time the same.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hash(randomBytes(16).toString('hex')));

export interface AuthDeps {
	users: UsersRepository;
	tokens: TokensRepository;
	audit: AuditRepository;
	/** Sign-in throttling; absent in processes that serve no sign-ins (workers). */
	limits?: RateLimits;
	sessionSecret: string;
	ingestToken: string | undefined;
}

export function sha256(value: string): string {
	return createHash('sha256').update(value).digest('hex');
}

export class AuthService {
	constructor(private readonly d: AuthDeps) {}

	/** A first start (no user yet) is when the demo seeds itself. */
	async hasUsers(): Promise<boolean> {
		return (await this.d.users.count()) > 0;
	}

	/** Creates or updates a user by e-mail with a password hash already made (seeding, tests). */
	upsertUser(u: { email: string; name: string; role: Role; passwordHash: string }): Promise<string> {
		return this.d.users.upsert(u);
	}

	hashPassword(password: string): Promise<string> {
		return hash(password);
	}

	/** Returns the signed cookie value of a new server-side session. */
	async signIn(email: string, password: string, meta: { ip: string | null; userAgent: string | null }) {
		try {
			await this.d.limits?.signInAttempt(email, meta.ip);
		} catch (err) {
			await this.d.audit.record(email, 'sign-in.throttled', { ip: meta.ip });
			throw err;
		}
		try {
			return await this.checkAndOpen(email, password, meta);
		} catch (err) {
			// The database was away, so no password was judged: this attempt must not count towards a lockout.
			if (isUnavailableError(err)) await this.d.limits?.signInAborted(email, meta.ip);
			throw err;
		}
	}

	private async checkAndOpen(email: string, password: string, meta: { ip: string | null; userAgent: string | null }) {
		const user = await this.d.users.findByEmail(email);
		const ok = await verify(user?.passwordHash ?? (await dummy()), password).catch(() => false);
		if (!user || !ok || user.disabled) {
			await this.d.audit.record(email, 'sign-in.failed', { ip: meta.ip, ...(user?.disabled && ok ? { disabled: true } : {}) });
			throw new UnauthorizedError('wrong e-mail or password');
		}
		await this.d.limits?.signInSucceeded(email, meta.ip);
		const token = randomBytes(32).toString('base64url');
		const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
		await this.d.users.createSession({ id: sha256(token), userId: user.id, expiresAt, ...meta });
		await this.d.audit.record(user.email, 'sign-in', { ip: meta.ip, userAgent: meta.userAgent });
		return {
			cookie: sign(token, this.d.sessionSecret),
			expiresAt,
			user: { id: user.id, email: user.email, name: user.name, role: user.role }
		};
	}

	async signOut(cookieValue: string | undefined): Promise<void> {
		const token = cookieValue ? unsign(cookieValue, this.d.sessionSecret) : false;
		if (!token) return;
		const session = await this.d.users.findLiveSession(sha256(token));
		await this.d.users.revokeSession(sha256(token));
		if (session) await this.d.audit.record(session.email, 'sign-out', {});
	}

	async fromCookie(cookieValue: string | undefined): Promise<Principal | null> {
		// A cookie is at most ~100 characters; anything longer is not ours and not worth hashing.
		if (!cookieValue || cookieValue.length > 256) return null;
		const token = unsign(cookieValue, this.d.sessionSecret);
		if (!token) return null;
		const s = await this.d.users.findLiveSession(sha256(token));
		if (!s) return null;
		return { kind: 'user', userId: s.userId, sessionId: s.sessionId, email: s.email, name: s.name, role: s.role, sites: s.sites };
	}

	/** Bearer tokens: the bootstrap INGEST_TOKEN. API and display tokens are looked up by hash. */
	async fromBearer(token: string | undefined): Promise<Principal | null> {
		if (!token) return null;
		const boot = this.d.ingestToken;
		if (boot && token.length === boot.length && timingSafeEqual(Buffer.from(token), Buffer.from(boot))) {
			return { kind: 'bootstrap-ingest' };
		}
		if (token.length > 256) return null;
		const row = await this.d.tokens.findLive(sha256(token));
		if (!row) return null;
		// A display token sees what its board covers; other tokens every site.
		const sites = row.scope === 'display' ? row.boardSites : null;
		return { kind: 'token', tokenId: row.id, name: row.name, scope: row.scope, board: row.board, sites };
	}

	/**
	 * Creates an API or display token; the raw value is returned once and only its hash is kept.
	 * `board`: the board a display token shows (the default board when omitted).
	 */
	async createToken(name: string, scope: TokenScope, actor: Principal | null, board?: string): Promise<{ id: string; token: string }> {
		const token = `pb_${scope}_${randomBytes(24).toString('base64url')}`;
		const createdBy = actor?.kind === 'user' ? actor.userId : null;
		const id = await this.d.tokens.create({ name, scope, tokenHash: sha256(token), createdBy, board });
		await this.d.audit.record(actor ? principalLabel(actor) : 'system', 'token.created', { id, name, scope, ...(board ? { board } : {}) });
		return { id, token };
	}

	/** Revokes a token; open sockets using it are cut by the revalidation loops within seconds. */
	async revokeToken(id: string, actor: Principal | null): Promise<void> {
		const revoked = UUID.test(id) ? await this.d.tokens.revoke(id) : null;
		if (!revoked) throw new NotFoundError('no such live token');
		await this.d.audit.record(actor ? principalLabel(actor) : 'system', 'token.revoked', { id, ...revoked });
	}

	/** Checks that a session or token the socket authenticated with is still live. */
	async stillValid(p: Principal): Promise<boolean> {
		return (await this.revoked([p])).size === 0;
	}

	/**
	 * Of these principals (from open sockets), those whose session was revoked or expired, whose user
	 * was disabled, or whose token was revoked — or, for a display token, whose board's scope changed
	 * since it connected (it reconnects and sees the new scope). Two queries however many sockets are open.
	 */
	async revoked(principals: Principal[]): Promise<Set<Principal>> {
		const sessionIds = new Set<string>();
		const tokenIds = new Set<string>();
		for (const p of principals) {
			if (p.kind === 'user') sessionIds.add(p.sessionId);
			else if (p.kind === 'token') tokenIds.add(p.tokenId);
		}
		const [liveSessions, liveTokens] = await Promise.all([
			this.d.users.liveSessionIds([...sessionIds]),
			this.d.tokens.liveIds([...tokenIds])
		]);
		return new Set(
			principals.filter(
				(p) =>
					(p.kind === 'user' && !liveSessions.has(p.sessionId)) ||
					(p.kind === 'token' && (!liveTokens.has(p.tokenId) || (p.scope === 'display' && !sameScope(p.sites, liveTokens.get(p.tokenId) ?? null))))
			)
		);
	}
}

function sameScope(a: string[] | null, b: string[] | null): boolean {
	if (a === null || b === null) return a === b;
	return a.length === b.length && a.every((s) => b.includes(s));
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
