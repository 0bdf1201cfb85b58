import { error, redirect } from '@sveltejs/kit';
import { can } from '$lib/policy/access.policy';

/** Shift handoff notes: the latest per site first, then the history; ops and admins write them. */
export const load = async ({ locals, url }) => {
	const p = locals.principal;
	if (!p) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (!can(p, 'handoff:read')) error(403, 'Your access may not read handoff notes.');
	const { handoff } = locals.ctx.services;
	const [notes, sites] = await Promise.all([handoff.list(p, { limit: 100 }), handoff.sitesWithShift(p)]);
	return {
		user: p.kind === 'user' ? { name: p.name, role: p.role } : null,
		notes,
		sites,
		canWrite: can(p, 'handoff:write')
	};
};
