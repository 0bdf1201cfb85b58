import { error, type ServerLoadEvent } from '@sveltejs/kit';
import { boardIdSchema } from '$lib/contract/commitments';
import type { BoardSignal } from '$lib/board/card-signals';
import { can } from '$lib/policy/access.policy';
import { signedIn } from '$lib/server/signed-in';

/** Runs a service call for a page; its 403 and 404 become the page's, with the service's reason. */
export async function refusedAs<T>(call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (err) {
		const status = (err as { status?: number }).status;
		if (status === 403 || status === 404) error(status, (err as Error).message);
		throw err;
	}
}

/** What a board page needs before its document connects: who we are, and the sites to pick from. */
export async function loadBoard({ locals, url }: Pick<ServerLoadEvent, 'locals' | 'url'>, boardId: string) {
	const p = signedIn({ locals, url });
	if (!can(p, 'board:read')) error(403, 'Your access does not include the board.');
	if (!boardIdSchema.safeParse(boardId).success) error(404, 'No such board.');
	const { services } = locals.ctx;
	// Refused here as the document would be (Yjs 4403); opening a new board creates it, as the document would.
	const scope = await refusedAs(() => services.boards.open(p, boardId, { create: true }));
	const sites = await services.catalog.sites();
	// Demand signals show on the cards of their SKU×site; the page refreshes them while it is open.
	// null: this principal may not read them (a display token), so the page does not ask again.
	const signals: BoardSignal[] | null = can(p, 'positions:read')
		? (await services.signals.list(p, { limit: '5000' }))
				.filter((s) => scope === null || scope.includes(s.site))
				.map(({ id, sku, site, kind, customer, qty, per, startDate, endDate, note, createdBy, withdrawnAt }) => ({ id, sku, site, kind, customer, qty, per, startDate, endDate, note, createdBy, withdrawnAt }))
		: null;
	const user =
		p.kind === 'user'
			? { name: p.name, email: p.email, role: p.role }
			: { name: p.kind === 'token' ? p.name : 'integration', email: '', role: 'viewer' as const };
	return {
		boardId,
		user,
		canWrite: can(p, 'board:write'),
		// A card may ship only from a site inside the board's scope.
		sites: sites.filter((s) => scope === null || scope.includes(s.code)).map((s) => ({ code: s.code, name: s.name })),
		signals
	};
}
