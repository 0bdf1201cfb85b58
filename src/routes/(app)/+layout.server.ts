import { signedIn } from '$lib/server/signed-in';

/** Every signed-in page: strangers go to sign-in; the shell shows who is here. */
export const load = (event) => {
	const p = signedIn(event);
	return { user: p.kind === 'user' ? { name: p.name, role: p.role } : null };
};
