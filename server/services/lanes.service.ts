import { laneBodySchema, type Lane } from '../../src/lib/contract/options.ts';
import { can, principalLabel, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Sql } from '../db/database.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from './errors.ts';
import type { Repositories } from '../repositories/repositories.ts';

/** Transit days between sites: every reader sees the lanes of their sites; admins edit them. */
export class LanesService {
	constructor(
		private readonly sql: Sql,
		private readonly repos: Pick<Repositories, 'lanes' | 'imports' | 'audit'>
	) {}

	list(p: Principal): Promise<Lane[]> {
		return this.repos.lanes.list(visibleSites(p));
	}

	async set(p: Principal, fromSite: string, toSite: string, body: unknown): Promise<Lane> {
		if (!can(p, 'catalog:manage')) throw new ForbiddenError('only admins edit lanes');
		const parsed = laneBodySchema.safeParse(body);
		if (!parsed.success) throw new BadRequestError('invalid lane', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
		if (fromSite === toSite) throw new BadRequestError('a lane joins two different sites');
		const known = await this.repos.imports.existingSites([fromSite, toSite]);
		for (const s of [fromSite, toSite]) if (!known.has(s)) throw new NotFoundError(`no site ${s}`);
		const lane = { fromSite, toSite, transitDays: parsed.data.transitDays };
		await this.sql.begin(async (tx) => {
			await this.repos.lanes.upsert(tx, [lane]);
			await this.repos.audit.record(principalLabel(p), 'lane.updated', { ...lane }, tx);
		});
		return lane;
	}

	async remove(p: Principal, fromSite: string, toSite: string): Promise<void> {
		if (!can(p, 'catalog:manage')) throw new ForbiddenError('only admins edit lanes');
		await this.sql.begin(async (tx) => {
			if (!(await this.repos.lanes.remove(tx, fromSite, toSite))) throw new NotFoundError(`no lane from ${fromSite} to ${toSite}`);
			await this.repos.audit.record(principalLabel(p), 'lane.removed', { fromSite, toSite }, tx);
		});
	}
}
