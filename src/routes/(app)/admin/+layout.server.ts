import { error } from '@sveltejs/kit';
import { can } from '$lib/policy/access.policy';
import { signedIn } from '$lib/server/signed-in';

/** The whole admin area: signed-in admins only. Each page's data comes from AdminService, which checks again. */
export const load = ({ locals, url }) => {
	const p = signedIn({ locals, url });
	if (!can(p, 'admin')) error(403, 'Only admins manage users, tokens and the catalog.');
};
