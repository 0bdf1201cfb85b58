import { api } from '$lib/api-client';

/** Ends the server-side session and returns to the sign-in page. */
export async function signOut(): Promise<void> {
	// Signed out or not, the sign-in page is where this ends.
	await api('DELETE /api/session').catch(() => {});
	window.location.assign('/login');
}
