import { error } from '@sveltejs/kit';
import { can } from '$lib/policy/access.policy';
import { signedIn } from '$lib/server/signed-in';

/** Shift handoff notes: the latest per site first, then the history; ops and admins write them. */
export const load = async ({ locals, url }) => {
	const p = signedIn({ locals, url });
	if (!can(p, 'handoff:read')) error(403, 'Your access may not read handoff notes.');
	const { handoff } = locals.ctx.services;
	const [notes, sites] = await Promise.all([handoff.list(p, { limit: 100 }), handoff.sitesWithShift(p)]);
	return {
		notes,
		sites,
		canWrite: can(p, 'handoff:write')
	};
};
