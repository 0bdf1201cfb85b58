import { redirect } from '@sveltejs/kit';
import type { Principal } from '$lib/policy/access.policy';

/**
 * The principal of a signed-in page, or a redirect to sign-in that comes back here. The (app) layout
 * calls it for every page; page loads run alongside the layout's, so they call it too for the type.
 */
export function signedIn({ locals, url }: { locals: App.Locals; url: URL }): Principal {
	const p = locals.principal;
	if (p) return p;
	redirect(303, url.pathname === '/' ? '/login' : `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}
