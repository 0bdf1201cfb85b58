import { can } from '$lib/policy/access.policy';
import { signedIn } from '$lib/server/signed-in';

export const load = async ({ locals, url }) => {
	const p = signedIn({ locals, url });
	const site = url.searchParams.get('site') || undefined;
	const q = url.searchParams.get('q')?.slice(0, 100) || undefined;
	const { services } = locals.ctx;
	// Read the seq first: anything committed after it is replayed, so nothing falls in between.
	const sinceSeq = await services.outbox.lastSeq();
	const [positions, sites] = await Promise.all([
		can(p, 'positions:read') ? services.availability.list(p, { site, q, limit: 500, offset: 0 }) : [],
		services.catalog.sites()
	]);
	return {
		positions: positions.map((r) => ({ ...r, updatedAt: new Date(r.updatedAt).toISOString() })),
		sites: sites.map((s) => ({ code: s.code, name: s.name })),
		filter: { site: site ?? '', q: q ?? '' },
		sinceSeq
	};
};
