// Shared by the board page and the server, which sets every peer's presence from its principal.
export const PRESENCE_COLORS = ['#1d4ed8', '#047857', '#b45309', '#7c3aed', '#be123c', '#0e7490', '#4d7c0f', '#c2410c'];

/** A stable colour per person, so the same person looks the same on every screen. */
export function colorFor(email: string): string {
	let h = 0;
	for (const ch of email) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
	return PRESENCE_COLORS[h % PRESENCE_COLORS.length];
}

