import { error } from '@sveltejs/kit';
import { boardIdSchema } from '$lib/contract/commitments';
import { can } from '$lib/policy/access.policy';
import { refusedAs } from '../../(app)/board/board-load.ts';

/**
 * A wall screen. The Express layer authenticated `?token=` (display scope only) or the session
 * cookie; anything else arrives here anonymous and gets a message a person at the kiosk can act on.
 */
export const load = async ({ locals, params, url }) => {
	const p = locals.principal;
	if (!p) error(401, url.searchParams.has('token') ? 'This display token is not valid: it was revoked, or it is not a display token.' : 'Open this wall with ?token=<display token>, or sign in first.');
	if (!can(p, 'wall:read')) error(403, 'This token or role may not show a wall.');
	const board = boardIdSchema.safeParse(params.boardId);
	if (!board.success) error(404, 'No such board.');
	// 403: a display token of another board, or a person who does not follow every site of this one.
	return { snapshot: await refusedAs(() => locals.ctx.services.wall.snapshot(p, board.data)) };
};
