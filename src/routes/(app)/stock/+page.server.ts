import { redirect } from '@sveltejs/kit';
import { can } from '$lib/policy/access.policy';

export const load = async ({ locals, url }) => {
	const p = locals.principal;
	if (!p) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const site = url.searchParams.get('site') || undefined;
	const q = url.searchParams.get('q')?.slice(0, 100) || undefined;
	const { services } = locals.ctx;
	// Read the seq first: anything committed after it is replayed, so nothing falls in between.
	const sinceSeq = await services.repos.outbox.lastSeq();
	const [positions, sites] = await Promise.all([
		can(p, 'positions:read') ? services.availability.list(p, { site, q, limit: 500, offset: 0 }) : [],
		services.repos.catalog.listSites()
	]);
	return {
		user: p.kind === 'user' ? { name: p.name, role: p.role } : null,
		positions: positions.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt).toISOString() })),
		sites: sites.map((s) => ({ code: s.code, name: s.name })),
		filter: { site: site ?? '', q: q ?? '' },
		sinceSeq
	};
};
