import { redirect } from '@sveltejs/kit';
import { EXPORT_LISTS, IMPORT_KINDS } from '$lib/contract/import';
import { can, importAction } from '$lib/policy/access.policy';

/** Which kinds the reader may import and which lists export; the work happens over /api/import and /api/export. */
export const load = async ({ locals, url }) => {
	const p = locals.principal;
	if (!p) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	const read = { commitments: 'commitments:read', alerts: 'alerts:read' } as const;
	return {
		user: p.kind === 'user' ? { name: p.name, role: p.role } : null,
		kinds: IMPORT_KINDS.filter((k) => can(p, 'import') && can(p, importAction(k))),
		exports: EXPORT_LISTS.filter((l) => can(p, read[l as keyof typeof read] ?? 'positions:read'))
	};
};
