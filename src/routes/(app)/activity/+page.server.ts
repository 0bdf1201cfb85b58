import { redirect } from '@sveltejs/kit';
import { canSeeSite } from '$lib/policy/access.policy';

/** What changed at one site, newest first: for a shift coming on. */
export const load = async ({ locals, url }) => {
	const p = locals.principal;
	if (!p) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	const { services } = locals.ctx;
	const sites = (await services.repos.catalog.listSites()).filter((s) => canSeeSite(p, s.code));
	const site = url.searchParams.get('site') || sites[0]?.code || '';
	const before = url.searchParams.get('before') || undefined;
	const entries = site ? await services.activity.feed(p, { site, before, limit: 100 }) : [];
	return {
		user: p.kind === 'user' ? { name: p.name, role: p.role } : null,
		sites: sites.map((s) => ({ code: s.code, name: s.name })),
		site,
		entries
	};
};
