import { EXPORT_LISTS, IMPORT_KINDS } from '$lib/contract/import';
import { can, importAction } from '$lib/policy/access.policy';
import { signedIn } from '$lib/server/signed-in';

/** Which kinds the reader may import and which lists export; the work happens over /api/import and /api/export. */
export const load = async ({ locals, url }) => {
	const p = signedIn({ locals, url });
	const read = { commitments: 'commitments:read', alerts: 'alerts:read' } as const;
	return {
		kinds: IMPORT_KINDS.filter((k) => can(p, 'import') && can(p, importAction(k))),
		exports: EXPORT_LISTS.filter((l) => can(p, read[l as keyof typeof read] ?? 'positions:read'))
	};
};
