import { EXPORT_LISTS, type ExportList } from '../../src/lib/contract/import.ts';
import { can, visibleSites, type Action, type Principal } from '../../src/lib/policy/access.policy.ts';
import { csvLine } from './csv.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { BoardsService } from './boards.service.ts';
import type { Repositories } from '../repositories/repositories.ts';

const READ: Record<ExportList, Action> = {
	sites: 'positions:read',
	skus: 'positions:read',
	stock: 'positions:read',
	pos: 'positions:read',
	positions: 'positions:read',
	signals: 'positions:read',
	commitments: 'commitments:read',
	lanes: 'positions:read',
	alerts: 'alerts:read'
};

export function isExportList(list: string): list is ExportList {
	return (EXPORT_LISTS as readonly string[]).includes(list);
}

/**
 * CSV export of the lists a principal can see (their sites only). The import kinds come out in
 * exactly the columns their import reads, so an export re-imports to the same data.
 */
export class ExportService {
	constructor(
		private readonly repos: Pick<Repositories, 'exports'>,
		private readonly boards: Pick<BoardsService, 'readableBoards'>
	) {}

	/** Checks access up front (so the caller can still answer 403/404), then streams CSV text. */
	open(p: Principal, list: string, now = new Date()): AsyncGenerator<string> {
		if (!isExportList(list)) throw new NotFoundError(`no export of ${list}; one of ${EXPORT_LISTS.join(', ')}`);
		if (!can(p, READ[list])) throw new ForbiddenError(`your access may not read ${list}`);
		return this.stream(p, list, visibleSites(p), now.toISOString());
	}

	private async *stream(p: Principal, list: ExportList, sites: string[] | null, at: string): AsyncGenerator<string> {
		// Commitments of boards the reader may not open stay out, like on GET /api/commitments.
		const boards = list === 'commitments' ? await this.boards.readableBoards(p) : null;
		yield csvLine(this.repos.exports.columns(list));
		for await (const batch of this.repos.exports.rows(list, sites, at, boards)) {
			yield batch.map((row) => csvLine(row as (string | number | null)[])).join('');
		}
	}
}
