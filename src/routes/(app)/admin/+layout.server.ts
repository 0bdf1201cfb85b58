import { error, redirect } from '@sveltejs/kit';
import { can } from '$lib/policy/access.policy';

/** The whole admin area: signed-in admins only. Each page's data comes from AdminService, which checks again. */
export const load = async ({ locals, url }) => {
	const p = locals.principal;
	if (!p) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (!can(p, 'admin')) error(403, 'Only admins manage users, tokens and the catalog.');
	return { user: p.kind === 'user' ? { name: p.name, role: p.role } : null };
};
