import { error, redirect, type ServerLoadEvent } from '@sveltejs/kit';
import { boardIdSchema } from '$lib/contract/commitments';
import { can } from '$lib/policy/access.policy';

/** What a board page needs before its document connects: who we are, and the sites to pick from. */
export async function loadBoard({ locals, url }: Pick<ServerLoadEvent, 'locals' | 'url'>, boardId: string) {
	const p = locals.principal;
	if (!p) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	if (!can(p, 'board:read')) error(403, 'Your access does not include the board.');
	if (!boardIdSchema.safeParse(boardId).success) error(404, 'No such board.');
	const sites = await locals.ctx.services.repos.catalog.listSites();
	const user =
		p.kind === 'user'
			? { name: p.name, email: p.email, role: p.role }
			: { name: p.kind === 'token' ? p.name : 'integration', email: '', role: 'viewer' as const };
	return {
		boardId,
		user,
		canWrite: can(p, 'board:write'),
		sites: sites.map((s) => ({ code: s.code, name: s.name }))
	};
}
