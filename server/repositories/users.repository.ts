import type { AdminUser } from '../../src/lib/contract/admin.ts';
import type { Role } from '../../src/lib/contract/domain.ts';
import type { Sql, TxSql } from '../db/database.ts';

export interface UserRow {
	id: string;
	email: string;
	name: string;
	role: Role;
	passwordHash: string;
	disabled: boolean;
}

export interface SessionRow {
	sessionId: string;
	userId: string;
	email: string;
	name: string;
	role: Role;
	sites: string[] | null;
}

export class UsersRepository {
	constructor(private readonly sql: Sql) {}

	async findByEmail(email: string): Promise<UserRow | null> {
		const [row] = await this.sql<UserRow[]>`
			select id, email, name, role, password_hash, disabled from users where email = ${email.toLowerCase()}
		`;
		return row ?? null;
	}

	async upsert(u: { email: string; name: string; role: Role; passwordHash: string }): Promise<string> {
		const [row] = await this.sql<{ id: string }[]>`
			insert into users (email, name, role, password_hash)
			values (${u.email.toLowerCase()}, ${u.name}, ${u.role}, ${u.passwordHash})
			on conflict (email) do update set name = excluded.name, role = excluded.role
			returning id
		`;
		return row.id;
	}

	async count(): Promise<number> {
		const [row] = await this.sql<{ n: number }[]>`select count(*)::int as n from users`;
		return row.n;
	}

	async createSession(s: { id: string; userId: string; expiresAt: Date; ip: string | null; userAgent: string | null }) {
		await this.sql`
			insert into sessions (id, user_id, expires_at, ip, user_agent)
			values (${s.id}, ${s.userId}, ${s.expiresAt}, ${s.ip}, ${s.userAgent})
		`;
	}

	/** A live session joined with its user; expired, revoked and disabled ones come back null. */
	async findLiveSession(id: string): Promise<SessionRow | null> {
		const [row] = await this.sql<SessionRow[]>`
			select s.id as session_id, u.id as user_id, u.email, u.name, u.role,
				(select array_agg(site order by site) from user_sites us where us.user_id = u.id) as sites
			from sessions s join users u on u.id = s.user_id
			where s.id = ${id} and s.revoked_at is null and s.expires_at > now() and not u.disabled
		`;
		return row ?? null;
	}

	async revokeSession(id: string): Promise<void> {
		await this.sql`update sessions set revoked_at = now() where id = ${id} and revoked_at is null`;
	}

	async findById(id: string, tx: Sql | TxSql = this.sql): Promise<AdminUser | null> {
		const [row] = await tx<AdminUserRow[]>`${this.adminSelect(tx)} where u.id = ${id}`;
		return row ? adminUser(row) : null;
	}

	async list(): Promise<AdminUser[]> {
		const rows = await this.sql<AdminUserRow[]>`${this.adminSelect(this.sql)} order by u.email`;
		return rows.map(adminUser);
	}

	async create(tx: TxSql, u: { email: string; name: string; role: Role; passwordHash: string }): Promise<string | null> {
		const [row] = await tx<{ id: string }[]>`
			insert into users (email, name, role, password_hash)
			values (${u.email.toLowerCase()}, ${u.name}, ${u.role}, ${u.passwordHash})
			on conflict (email) do nothing
			returning id
		`;
		return row?.id ?? null;
	}

	/** Locks the row so two admins changing the same user (or the last two admins) serialise. */
	async lockForUpdate(tx: TxSql, id: string): Promise<{ id: string; role: Role; disabled: boolean } | null> {
		const [row] = await tx<{ id: string; role: Role; disabled: boolean }[]>`
			select id, role, disabled from users where id = ${id} for update
		`;
		return row ?? null;
	}

	/** Enabled admins; locks them so a concurrent demotion cannot leave none. */
	async countActiveAdmins(tx: TxSql): Promise<number> {
		const rows = await tx`select id from users where role = 'admin' and not disabled order by id for update`;
		return rows.length;
	}

	async update(tx: TxSql, id: string, c: { name?: string; role?: Role; disabled?: boolean; passwordHash?: string }): Promise<void> {
		await tx`
			update users set
				name = coalesce(${c.name ?? null}, name),
				role = coalesce(${c.role ?? null}, role),
				disabled = coalesce(${c.disabled ?? null}, disabled),
				password_hash = coalesce(${c.passwordHash ?? null}, password_hash)
			where id = ${id}
		`;
	}

	/** Replaces the sites a user follows; an empty list means every site. */
	async setSites(tx: TxSql, userId: string, sites: string[]): Promise<void> {
		await tx`delete from user_sites where user_id = ${userId}`;
		if (sites.length) {
			await tx`insert into user_sites (user_id, site) select ${userId}, unnest(${tx.array(sites)}::text[])`;
		}
	}

	/** Ends every open session of a user (role change, disable, new password). Returns how many. */
	async revokeSessionsOf(tx: Sql | TxSql, userId: string): Promise<number> {
		const rows = await tx`update sessions set revoked_at = now() where user_id = ${userId} and revoked_at is null returning id`;
		return rows.length;
	}

	/** Of these session ids, those still live (not revoked, not expired, user enabled). */
	async liveSessionIds(ids: string[]): Promise<Set<string>> {
		if (ids.length === 0) return new Set();
		const rows = await this.sql<{ id: string }[]>`
			select s.id from sessions s join users u on u.id = s.user_id
			where s.id = any(${this.sql.array(ids)}::text[]) and s.revoked_at is null and s.expires_at > now() and not u.disabled
		`;
		return new Set(rows.map((r) => r.id));
	}

	private adminSelect(sql: Sql | TxSql) {
		return sql`
			select u.id, u.email, u.name, u.role, u.disabled, u.created_at,
				(select array_agg(site order by site) from user_sites us where us.user_id = u.id) as sites,
				(select max(created_at) from sessions s where s.user_id = u.id) as last_sign_in_at
			from users u
		`;
	}
}

interface AdminUserRow extends Omit<AdminUser, 'createdAt' | 'lastSignInAt'> {
	createdAt: Date;
	lastSignInAt: Date | null;
}

function adminUser(r: AdminUserRow): AdminUser {
	return { ...r, createdAt: r.createdAt.toISOString(), lastSignInAt: r.lastSignInAt?.toISOString() ?? null };
}
