/** Ends the server-side session and returns to the sign-in page. */
export async function signOut(): Promise<void> {
	await fetch('/api/session', { method: 'DELETE' });
	window.location.assign('/login');
}
