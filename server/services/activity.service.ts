import { activityQuerySchema, type ActivityEntry } from '../../src/lib/contract/signals.ts';
import { can, canSeeSite, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { ActivityRow } from '../repositories/activity.repository.ts';
import { parse } from './validate.ts';
import { ForbiddenError, NotFoundError } from './errors.ts';
import type { Repositories } from '../repositories/repositories.ts';

const KIND_LABEL: Record<string, string> = {
	commitment_short: 'commitment short',
	stockout_projected: 'projected stockout',
	below_safety_stock: 'below safety stock',
	late_inbound: 'late inbound',
	below_reorder_point: 'below reorder point',
	backorder_aging: 'aging backorder',
	lifecycle_change: 'lifecycle change',
	forecast_below_safety_stock: 'forecast below safety stock'
};

/**
 * What changed at a site or on a SKU, and who changed it: inventory events, card edits, alert
 * acknowledgements, signals, lifecycle stages and imports, newest first, so a shift sees what
 * happened while it was away.
 */
export class ActivityService {
	constructor(private readonly repos: Pick<Repositories, 'activity'>) {}

	async feed(p: Principal, query: unknown): Promise<ActivityEntry[]> {
		if (!can(p, 'positions:read')) throw new ForbiddenError('your access may not read activity');
		const q = parse(activityQuerySchema, query ?? {}, 'query');
		if (q.site && !canSeeSite(p, q.site)) throw new NotFoundError(`unknown site ${q.site}`);
		const rows = await this.repos.activity.feed({ ...q, sites: visibleSites(p) });
		return rows.map((r) => ({ at: r.at, source: r.source, actor: r.actor, sku: r.sku, site: r.site, summary: summary(r) }));
	}
}

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : '0');

export function summary(r: ActivityRow): string {
	switch (r.source) {
		case 'event':
			return eventSummary(r);
		case 'commitment':
			if (r.kind === 'create') return `created commitment ${r.ref}: ${r.b ?? ''}`.trim();
			if (r.kind === 'revert') return `tried to change ${r.text ?? 'a field'} of commitment ${r.ref}; reverted (not theirs to change)`;
			return `changed ${r.text ?? 'a field'} of commitment ${r.ref} from ${r.a ?? '—'} to ${r.b ?? '—'}`;
		case 'alert':
			return `acknowledged ${KIND_LABEL[r.kind ?? ''] ?? r.kind} alert: ${r.text ?? ''}`;
		default:
			return r.text ?? '';
	}
}

function eventSummary(r: ActivityRow): string {
	const where = `${r.sku} @ ${r.site}`;
	const q = r.qty ?? 0;
	switch (r.kind) {
		case 'receipt':
			return `received ${q} of ${where}${r.ref ? ` against ${r.ref}` : ''}`;
		case 'shipment':
			return `shipped ${q} of ${where}${r.ref ? ` for commitment ${r.ref}` : ''}`;
		case 'adjustment':
			return `adjusted ${where} by ${signed(q)}`;
		case 'count':
			return `counted ${where}: ${q} on hand`;
		case 'transfer':
			return `sent ${q} of ${r.sku} from ${r.site} to ${r.b}${r.a ? `, due ${r.a}` : ''}`;
		case 'transfer_in':
			return `${q} of ${r.sku} on the way from ${r.b} to ${r.site}${r.a ? `, due ${r.a}` : ''}`;
		case 'po':
			return q === 0 ? `closed PO line ${r.ref} of ${where}` : `PO line ${r.ref} of ${where}: ${q} open${r.a ? `, ETA ${r.a}` : ', no ETA'}`;
		default:
			return `${r.kind} ${q} of ${where}`;
	}
}
