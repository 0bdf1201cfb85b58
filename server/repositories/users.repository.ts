import type { Role } from '../../src/lib/contract/domain.ts';
import type { Sql } from '../db/database.ts';

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

	async audit(actor: string | null, action: string, detail: Record<string, unknown>): Promise<void> {
		await this.sql`insert into audit_log (actor, action, detail) values (${actor}, ${action}, ${this.sql.json(detail as never)})`;
	}
}
