import { canSeeSite } from '$lib/policy/access.policy';
import { signedIn } from '$lib/server/signed-in';

/** What changed at one site, newest first: for a shift coming on. */
export const load = async ({ locals, url }) => {
	const p = signedIn({ locals, url });
	const { services } = locals.ctx;
	const sites = (await services.catalog.sites()).filter((s) => canSeeSite(p, s.code));
	const site = url.searchParams.get('site') || sites[0]?.code || '';
	const before = url.searchParams.get('before') || undefined;
	const entries = site ? await services.activity.feed(p, { site, before, limit: 100 }) : [];
	return {
		sites: sites.map((s) => ({ code: s.code, name: s.name })),
		site,
		entries
	};
};
