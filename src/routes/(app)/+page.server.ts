import { redirect } from '@sveltejs/kit';
import { can, canSeeSite } from '$lib/policy/access.policy';
import { signedIn } from '$lib/server/signed-in';

/** Home: the KPI panel over the sites the reader follows (or one, with ?site=). */
export const load = async ({ locals, url }) => {
	const p = signedIn({ locals, url });
	if (!can(p, 'positions:read') || !can(p, 'commitments:read')) redirect(303, '/stock');
	const { services } = locals.ctx;
	const site = url.searchParams.get('site') || undefined;
	const [kpis, sites] = await Promise.all([services.kpi.overview(p, { site, days: 30 }), services.catalog.sites()]);
	return {
		kpis,
		sites: sites.filter((s) => canSeeSite(p, s.code)).map((s) => ({ code: s.code, name: s.name })),
		site: site ?? ''
	};
};
