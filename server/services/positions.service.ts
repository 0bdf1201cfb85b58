import type { AvailabilityResponse, PositionListItem } from '../../src/lib/contract/api.ts';
import { visibleSites, canSeeSite, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Repositories } from './services.ts';
import { NotFoundError } from './errors.ts';

export class PositionsService {
	constructor(private readonly repos: Pick<Repositories, 'positions' | 'catalog'>) {}

	async availability(p: Principal, sku: string, site: string): Promise<AvailabilityResponse> {
		if (!canSeeSite(p, site)) throw new NotFoundError(`no position for ${sku} at ${site}`);
		const [row, params] = await Promise.all([
			this.repos.positions.get({ sku, site }),
			this.repos.catalog.skuSiteParams(sku, site)
		]);
		if (!row) throw new NotFoundError(`no position for ${sku} at ${site}`);
		return {
			sku,
			site,
			onHand: row.onHand,
			allocated: row.allocated,
			inbound: row.inbound,
			backordered: 0,
			safetyStock: params.safetyStock,
			available: row.available,
			atp: [],
			projected: []
		};
	}

	list(p: Principal, q: { site?: string; q?: string; limit: number; offset: number }): Promise<PositionListItem[]> {
		return this.repos.positions.list({ ...q, sites: visibleSites(p) });
	}
}
