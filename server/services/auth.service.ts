import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { sign, unsign } from 'cookie-signature';
import type { Principal } from '../auth/principal.ts';
import type { TokensRepository } from '../repositories/tokens.repository.ts';
import type { UsersRepository } from '../repositories/users.repository.ts';
import type { TokenScope } from '../../src/lib/policy/access.policy.ts';
import { UnauthorizedError } from './errors.ts';

export const SESSION_COOKIE = 'pb_session';
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
// Verifying against a real hash when the e-mail is unknown keeps the answer time the same.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hash(randomBytes(16).toString('hex')));

export interface AuthDeps {
	users: UsersRepository;
	tokens: TokensRepository;
	sessionSecret: string;
	ingestToken: string | undefined;
}

export function sha256(value: string): string {
	return createHash('sha256').update(value).digest('hex');
}

export class AuthService {
	constructor(private readonly d: AuthDeps) {}

	hashPassword(password: string): Promise<string> {
		return hash(password);
	}

	/** Returns the signed cookie value of a new server-side session. */
	async signIn(email: string, password: string, meta: { ip: string | null; userAgent: string | null }) {
		const user = await this.d.users.findByEmail(email);
		const ok = await verify(user?.passwordHash ?? (await dummy()), password).catch(() => false);
		if (!user || !ok || user.disabled) {
			await this.d.users.audit(email, 'sign-in.failed', { ip: meta.ip });
			throw new UnauthorizedError('wrong e-mail or password');
		}
		const token = randomBytes(32).toString('base64url');
		const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
		await this.d.users.createSession({ id: sha256(token), userId: user.id, expiresAt, ...meta });
		await this.d.users.audit(user.email, 'sign-in', { ip: meta.ip });
		return {
			cookie: sign(token, this.d.sessionSecret),
			expiresAt,
			user: { id: user.id, email: user.email, name: user.name, role: user.role }
		};
	}

	async signOut(cookieValue: string | undefined): Promise<void> {
		const token = cookieValue ? unsign(cookieValue, this.d.sessionSecret) : false;
		if (token) await this.d.users.revokeSession(sha256(token));
	}

	async fromCookie(cookieValue: string | undefined): Promise<Principal | null> {
		if (!cookieValue) return null;
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
		return row ? { kind: 'token', tokenId: row.id, name: row.name, scope: row.scope } : null;
	}

	/** Creates an API or display token; the raw value is returned once and only its hash is kept. */
	async createToken(name: string, scope: TokenScope, createdBy: string | null): Promise<{ id: string; token: string }> {
		const token = `pb_${scope}_${randomBytes(24).toString('base64url')}`;
		const id = await this.d.tokens.create({ name, scope, tokenHash: sha256(token), createdBy });
		await this.d.users.audit(createdBy, 'token.created', { id, name, scope });
		return { id, token };
	}

	async revokeToken(id: string, actor: string | null): Promise<void> {
		await this.d.tokens.revoke(id);
		await this.d.users.audit(actor, 'token.revoked', { id });
	}

	/** Checks that a session or token the socket authenticated with is still live. */
	async stillValid(p: Principal): Promise<boolean> {
		if (p.kind === 'token') return this.d.tokens.isLive(p.tokenId);
		if (p.kind !== 'user') return true;
		return (await this.d.users.findLiveSession(p.sessionId)) !== null;
	}
}
