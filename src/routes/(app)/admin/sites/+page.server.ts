import { error } from '@sveltejs/kit';

export const load = async ({ locals, parent }) => {
	// The admin layout redirects or refuses first; only then is there a principal to read lanes for.
	await parent();
	const p = locals.principal;
	if (!p) error(401, 'Sign in first.');
	return { sites: await locals.ctx.services.admin.listSites(p), lanes: await locals.ctx.services.lanes.list(p) };
};
