import type { HandoffNote, HandoffWrite } from '../../src/lib/contract/notifications.ts';
import { shiftAt } from '../../src/lib/core/shifts.ts';
import { can, canSeeSite, principalLabel, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { Repositories } from '../repositories/repositories.ts';

/** Shift handoff notes: one per site and shift, written by ops, read by everyone and every wall. */
export class HandoffService {
	constructor(
		private readonly repos: Pick<Repositories, 'handoff' | 'catalog'>,
		private readonly now: () => Date = () => new Date()
	) {}

	list(p: Principal, q: { site?: string; limit: number }): Promise<HandoffNote[]> {
		if (!can(p, 'handoff:read')) throw new ForbiddenError('your access may not read handoff notes');
		return this.repos.handoff.list(q.site, visibleSites(p), q.limit);
	}

	/** The latest note of each of these sites (null: every site); callers have decided what the reader sees. */
	latestPerSite(sites: string[] | null): Promise<HandoffNote[]> {
		return this.repos.handoff.latestPerSite(sites);
	}

	/** Writes the note of the given shift, or of the shift running now in the site's time zone. */
	async write(p: Principal, site: string, w: HandoffWrite): Promise<HandoffNote> {
		if (!can(p, 'handoff:write')) throw new ForbiddenError('your role may not write handoff notes');
		const s = (await this.repos.catalog.listSites()).find((x) => x.code === site);
		if (!s || !canSeeSite(p, site)) throw new NotFoundError(`no site ${site}`);
		const at = w.date && w.shift ? { date: w.date, shift: w.shift } : shiftAt(this.now(), s.timeZone);
		return this.repos.handoff.save({ site, ...at, body: w.body, author: principalLabel(p) });
	}

	/** Sites with their current shift, for the write form. */
	async sitesWithShift(p: Principal) {
		const now = this.now();
		return (await this.repos.catalog.listSites())
			.filter((s) => canSeeSite(p, s.code))
			.map((s) => ({ code: s.code, name: s.name, timeZone: s.timeZone, current: shiftAt(now, s.timeZone) }));
	}
}
