import { error } from '@sveltejs/kit';
import { ALERT_KINDS, ALERT_STATUSES, SEVERITIES } from '$lib/contract/domain';
import { can } from '$lib/policy/access.policy';
import { signedIn } from '$lib/server/signed-in';

const pick = <T extends string>(list: readonly T[], v: string | null): T | undefined => (list as readonly string[]).includes(v ?? '') ? (v as T) : undefined;

/** The alert centre: open and recent alerts with filters; `status=live` (default) is open + acknowledged. */
export const load = async ({ locals, url }) => {
	const p = signedIn({ locals, url });
	if (!can(p, 'alerts:read')) error(403, 'Your role may not read alerts.');
	const q = url.searchParams;
	const statusParam = q.get('status') ?? 'live';
	const filter = {
		status: pick(ALERT_STATUSES, statusParam),
		severity: pick(SEVERITIES, q.get('severity')),
		kind: pick(ALERT_KINDS, q.get('kind')),
		site: q.get('site')?.slice(0, 64) || undefined
	};
	const { services } = locals.ctx;
	// Read the seq first: anything committed after it is replayed, so nothing falls in between.
	const sinceSeq = await services.outbox.lastSeq();
	const [alerts, sites, prefs] = await Promise.all([
		services.alerts.list(p, { ...filter, live: statusParam === 'live' && !filter.status, limit: 500 }),
		services.catalog.sites(),
		p.kind === 'user' ? services.notifications.prefs(p) : null
	]);
	return {
		alerts: alerts.map(({ subjectKey: _s, change: _c, ...a }) => a),
		sites: sites.map((s) => ({ code: s.code, name: s.name })),
		filter: { ...filter, status: filter.status ?? (statusParam === 'all' ? ('all' as const) : ('live' as const)) },
		canAck: can(p, 'alerts:ack'),
		prefs,
		sinceSeq
	};
};
