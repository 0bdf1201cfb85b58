import type { SiteRow } from '../repositories/catalog.repository.ts';
import type { Repositories } from '../repositories/repositories.ts';

/** The catalogue as pages read it: every site, for the site pickers (what a site holds is filtered by the services that show it). */
export class CatalogService {
	constructor(private readonly repos: Pick<Repositories, 'catalog'>) {}

	sites(): Promise<SiteRow[]> {
		return this.repos.catalog.listSites();
	}
}
