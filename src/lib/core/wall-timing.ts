// Timing rules of wall screens that run for days: staleness, the quiet-hour reload and the pixel
// shift against burn-in. Pure, so they are unit-tested without waiting for real minutes.

/** Stale once two heartbeats are missed, plus a little slack for a busy event loop. */
export function isStale(now: number, lastBeatAt: number, every: number): boolean {
	return now - lastBeatAt > 2 * every + Math.min(every / 2, 5_000);
}

/**
 * Epoch ms of the next local `HH:MM` after `now`, plus `jitterMs`, so a room of screens does not
 * reload in the same second. Local means the screen's own clock, which is the site's.
 */
export function nextQuietReload(now: Date, hhmm: string, jitterMs = 0): number {
	const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
	const [h, min] = m ? [Math.min(23, Number(m[1])), Math.min(59, Number(m[2]))] : [3, 30];
	const at = new Date(now);
	at.setHours(h, min, 0, 0);
	if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
	return at.getTime() + Math.max(0, jitterMs);
}

/**
 * Offset for step `n` of the pixel shift: a slow walk around a small square (never more than
 * `amplitude` px from centre), so no pixel shows the same edge for hours.
 */
export function pixelShift(n: number, amplitude = 6): { x: number; y: number } {
	const a = Math.max(0, Math.floor(amplitude));
	if (a === 0) return { x: 0, y: 0 };
	const side = 2 * a;
	const i = ((n % (4 * side)) + 4 * side) % (4 * side);
	const leg = Math.floor(i / side);
	const t = i % side;
	if (leg === 0) return { x: -a + t, y: -a };
	if (leg === 1) return { x: a, y: -a + t };
	if (leg === 2) return { x: a - t, y: a };
	return { x: -a, y: a - t };
}

/** "updated 12s ago" for wall and app alike. */
export function ageText(now: number, then: number | null): string {
	if (then === null) return 'no updates yet';
	const s = Math.max(0, Math.floor((now - then) / 1000));
	if (s < 120) return `updated ${s}s ago`;
	if (s < 7200) return `updated ${Math.floor(s / 60)}m ago`;
	return `updated ${Math.floor(s / 3600)}h ago`;
}
