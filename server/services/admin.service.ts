import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
	auditQuerySchema,
	createTokenSchema,
	createUserSchema,
	listQuerySchema,
	skuSiteParamsSchema,
	updateSiteSchema,
	updateSkuSchema,
	updateUserSchema,
	type AdminUser
} from '../../src/lib/contract/admin.ts';
import { can, changeEndsSessions, principalLabel, userChangeRefusal, type Action, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Sql, TxSql } from '../db/database.ts';
import type { RecomputeProducer } from './jobs.port.ts';
import type { Logger } from '../logger.ts';
import type { AuditRepository } from '../repositories/audit.repository.ts';
import type { CatalogAdminRepository } from '../repositories/catalog-admin.repository.ts';
import type { PairKey, PositionsRepository } from '../repositories/positions.repository.ts';
import type { TokensRepository } from '../repositories/tokens.repository.ts';
import type { BoardsRepository } from '../repositories/boards.repository.ts';
import type { UsersRepository } from '../repositories/users.repository.ts';
import { UUID, type AuthService } from './auth.service.ts';
import { AppError, BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from './errors.ts';

export interface AdminDeps {
	sql: Sql;
	users: UsersRepository;
	tokens: TokensRepository;
	boards: BoardsRepository;
	audit: AuditRepository;
	catalogAdmin: CatalogAdminRepository;
	positions: PositionsRepository;
	auth: AuthService;
	queue: RecomputeProducer;
	log: Logger;
}

/**
 * Users, tokens, sites, SKUs and the audit log. Every method checks the actor itself (the admin pages
 * call it directly, not only the REST routes) and parses its input: callers hand over raw bodies.
 */
export class AdminService {
	constructor(private readonly d: AdminDeps) {}

	listUsers(actor: Principal | null) {
		allow(actor, 'users:manage');
		return this.d.users.list();
	}

	/** Creates (invites) a user; without a password one is generated and answered this once. */
	async createUser(actor: Principal | null, body: unknown): Promise<{ user: AdminUser; password?: string }> {
		const who = allow(actor, 'users:manage');
		const input = parse(createUserSchema, body);
		const generated = input.password ? undefined : newPassword();
		const passwordHash = await this.d.auth.hashPassword(input.password ?? (generated as string));
		const id = await this.d.sql.begin(async (tx) => {
			const sites = await this.knownSites(tx, input.sites);
			const created = await this.d.users.create(tx, { email: input.email, name: input.name, role: input.role, passwordHash });
			if (!created) throw new AppError(409, 'a user with this e-mail exists');
			await this.d.users.setSites(tx, created, sites);
			await this.d.audit.record(who, 'user.created', { id: created, email: input.email.toLowerCase(), role: input.role, sites }, tx);
			return created;
		});
		return { user: (await this.d.users.findById(id)) as AdminUser, ...(generated ? { password: generated } : {}) };
	}

	/** Role, sites, name, disabled. A change to what the user may do ends their open sessions. */
	async updateUser(actor: Principal | null, id: string, body: unknown): Promise<AdminUser> {
		const who = allow(actor, 'users:manage');
		const input = parse(updateUserSchema, body);
		if (!UUID.test(id)) throw new NotFoundError('no such user');
		await this.d.sql.begin(async (tx) => {
			// Admins first, then the user: every change locks in this order, so two cannot deadlock.
			const admins = await this.d.users.countActiveAdmins(tx);
			if (!(await this.d.users.lockForUpdate(tx, id))) throw new NotFoundError('no such user');
			const before = (await this.d.users.findById(id, tx)) as AdminUser;
			const sites = input.sites === undefined ? undefined : await this.knownSites(tx, input.sites);
			const diff = {
				...(input.role !== undefined && input.role !== before.role ? { role: input.role } : {}),
				...(input.disabled !== undefined && input.disabled !== before.disabled ? { disabled: input.disabled } : {}),
				...(sites !== undefined && !sameSites(sites, before.sites) ? { sites } : {}),
				...(input.name !== undefined && input.name !== before.name ? { name: input.name } : {})
			};
			const refusal = userChangeRefusal(actor as Principal, before, diff, admins);
			if (refusal) throw new ForbiddenError(refusal);
			await this.d.users.update(tx, id, diff);
			if (diff.sites) await this.d.users.setSites(tx, id, diff.sites);
			const subject = { id, email: before.email };
			if (diff.role) await this.d.audit.record(who, 'user.role-changed', { ...subject, from: before.role, to: diff.role }, tx);
			if (diff.disabled !== undefined) await this.d.audit.record(who, diff.disabled ? 'user.disabled' : 'user.enabled', subject, tx);
			if (diff.sites) await this.d.audit.record(who, 'user.sites-changed', { ...subject, from: before.sites ?? [], to: diff.sites }, tx);
			if (diff.name) await this.d.audit.record(who, 'user.renamed', { ...subject, from: before.name, to: diff.name }, tx);
			if (changeEndsSessions(diff)) {
				const ended = await this.d.users.revokeSessionsOf(tx, id);
				await this.d.audit.record(who, 'user.sessions-ended', { ...subject, sessions: ended }, tx);
			}
		});
		return (await this.d.users.findById(id)) as AdminUser;
	}

	/** A new generated password, answered once; the user's sessions end. */
	async resetPassword(actor: Principal | null, id: string): Promise<{ password: string }> {
		const who = allow(actor, 'users:manage');
		if (!UUID.test(id)) throw new NotFoundError('no such user');
		const password = newPassword();
		const passwordHash = await this.d.auth.hashPassword(password);
		await this.d.sql.begin(async (tx) => {
			const user = await this.d.users.findById(id, tx);
			if (!user) throw new NotFoundError('no such user');
			await this.d.users.update(tx, id, { passwordHash });
			const ended = await this.d.users.revokeSessionsOf(tx, id);
			await this.d.audit.record(who, 'user.password-reset', { id, email: user.email, sessions: ended }, tx);
		});
		return { password };
	}

	listTokens(actor: Principal | null) {
		allow(actor, 'tokens:manage');
		return this.d.tokens.list();
	}

	/** The raw token is in this answer only; the database keeps its hash. A display token's board must exist. */
	async createToken(actor: Principal | null, body: unknown) {
		allow(actor, 'tokens:manage');
		const input = parse(createTokenSchema, body);
		if (input.board && !(await this.d.boards.get(input.board))) {
			throw new BadRequestError('unknown board', [{ path: 'board', message: `no board ${input.board}` }]);
		}
		const { id, token } = await this.d.auth.createToken(input.name, input.scope, actor, input.board);
		return { id, name: input.name, scope: input.scope, board: input.board ?? null, token };
	}

	async revokeToken(actor: Principal | null, id: string): Promise<void> {
		allow(actor, 'tokens:manage');
		await this.d.auth.revokeToken(id, actor);
	}

	listSites(actor: Principal | null) {
		allow(actor, 'catalog:manage');
		return this.d.catalogAdmin.listSites();
	}

	async updateSite(actor: Principal | null, code: string, body: unknown) {
		const who = allow(actor, 'catalog:manage');
		const input = parse(updateSiteSchema, body);
		const { site, pairs } = await this.d.sql.begin(async (tx) => {
			const site = await this.d.catalogAdmin.updateSite(tx, code, input);
			if (!site) throw new NotFoundError('no such site');
			await this.d.audit.record(who, 'site.updated', { code, ...input }, tx);
			// "Today" and "late" are site-local: a new time zone moves every date of the site.
			const pairs = input.timeZone ? await this.markDirty(tx, { site: code }) : [];
			return { site, pairs };
		});
		await this.enqueue(pairs);
		return site;
	}

	listSkus(actor: Principal | null, query: unknown) {
		allow(actor, 'catalog:manage');
		return this.d.catalogAdmin.listSkus(parse(listQuerySchema, query));
	}

	async updateSku(actor: Principal | null, code: string, body: unknown): Promise<void> {
		const who = allow(actor, 'catalog:manage');
		const input = parse(updateSkuSchema, body);
		const pairs = await this.d.sql.begin(async (tx): Promise<PairKey[]> => {
			if (!(await this.d.catalogAdmin.updateSku(tx, code, input))) throw new NotFoundError('no such SKU');
			await this.d.audit.record(who, 'sku.updated', { code, ...input }, tx);
			// Lead time sets the supply fence and lifecycle raises alerts: the engine must look again.
			const moves = input.leadTimeDays !== undefined || input.lifecycle !== undefined;
			return moves ? this.markDirty(tx, { sku: code }) : [];
		});
		await this.enqueue(pairs);
	}

	async setSkuSite(actor: Principal | null, sku: string, site: string, body: unknown): Promise<void> {
		const who = allow(actor, 'catalog:manage');
		const input = parse(skuSiteParamsSchema, body);
		const pairs = await this.d.sql.begin(async (tx) => {
			if (!(await this.d.catalogAdmin.skuExists(tx, sku))) throw new NotFoundError('no such SKU');
			if ((await this.d.catalogAdmin.existingSites([site], tx)).length === 0) throw new NotFoundError('no such site');
			await this.d.catalogAdmin.upsertSkuSite(tx, sku, site, input);
			await this.d.audit.record(who, 'sku-site.updated', { sku, site, ...input }, tx);
			// The pair itself, not "its positions row": a first recompute still running has not written that
			// row yet, read the old parameters, and would otherwise be the last word.
			const pair = [{ sku, site }];
			await this.d.positions.markDirty(tx, pair);
			return pair;
		});
		await this.enqueue(pairs);
	}

	listAudit(actor: Principal | null, query: unknown) {
		allow(actor, 'audit:read');
		return this.d.audit.list(parse(auditQuerySchema, query));
	}

	private async knownSites(tx: TxSql, sites: string[] | null | undefined): Promise<string[]> {
		const wanted = [...new Set(sites ?? [])].sort();
		const found = new Set(await this.d.catalogAdmin.existingSites(wanted, tx));
		const unknown = wanted.filter((s) => !found.has(s));
		if (unknown.length) throw new BadRequestError('unknown sites', unknown.map((s) => ({ path: 'sites', message: `no site ${s}` })));
		return wanted;
	}

	private async markDirty(tx: TxSql, by: { sku?: string; site?: string }): Promise<PairKey[]> {
		const pairs = await this.d.catalogAdmin.pairsOf(tx, by);
		await this.d.positions.markDirty(tx, pairs);
		return pairs;
	}

	private async enqueue(pairs: PairKey[]): Promise<void> {
		try {
			await this.d.queue.enqueue(pairs);
		} catch (err) {
			// The pairs are marked dirty in Postgres; the reconciliation sweep picks them up.
			this.d.log.warn({ err, pairs: pairs.length }, 'enqueue after a catalog change failed; left to the sweep');
		}
	}
}

/** Throws 401/403 unless the actor may; returns the label the audit log records. */
export function allow(actor: Principal | null, action: Action): string {
	if (!actor) throw new UnauthorizedError();
	if (!can(actor, action)) throw new ForbiddenError(`your access may not ${action.replace(':', ' ')}`);
	return principalLabel(actor);
}

/** Parses an admin body; every problem is named with its path (400). */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
	const r = schema.safeParse(value ?? {});
	if (!r.success) {
		throw new BadRequestError(
			'invalid request',
			r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
		);
	}
	return r.data;
}

function newPassword(): string {
	return randomBytes(12).toString('base64url');
}

function sameSites(a: string[], b: string[] | null): boolean {
	const bb = b ?? [];
	return a.length === bb.length && a.every((s, i) => s === bb[i]);
}
