import { nextQuietReload } from '$lib/core/wall-timing';

export interface WatchdogOptions {
	/** Epoch ms since when the live feed has been down, or null while it is up. */
	downSince: () => number | null;
	/** Reload after this long disconnected. */
	reloadAfterMs: number;
	/** Local `HH:MM` of the daily reload (a kiosk browser that runs for weeks leaks; a reload a day resets it). */
	quietHour: string;
	reload: () => void;
	/** Only reload when the server answers: reloading into "site can't be reached" would end the page's own retries. */
	healthy?: () => Promise<boolean>;
}

const CHECK_EVERY_MS = 10_000;
/** Screens of one room spread their daily reload over this window. */
const QUIET_SPREAD_MS = 10 * 60_000;

export async function serverAnswers(): Promise<boolean> {
	try {
		return (await fetch('/healthz', { cache: 'no-store' })).ok;
	} catch {
		return false;
	}
}

/** Starts the wall's watchdog; returns its stop function. */
export function startWatchdog(o: WatchdogOptions): () => void {
	const healthy = o.healthy ?? serverAnswers;
	let reloading = false;
	const reloadIfHealthy = async (): Promise<boolean> => {
		if (reloading || !(await healthy())) return false;
		reloading = true;
		o.reload();
		return true;
	};
	const check = setInterval(() => {
		const since = o.downSince();
		if (since !== null && Date.now() - since > o.reloadAfterMs) void reloadIfHealthy();
	}, CHECK_EVERY_MS);

	let quiet: ReturnType<typeof setTimeout>;
	const scheduleQuiet = (at: number) => {
		quiet = setTimeout(async () => {
			// Server away at the quiet hour: try again a minute later rather than skip a day.
			if (!(await reloadIfHealthy())) scheduleQuiet(Date.now() + 60_000);
		}, Math.max(1000, at - Date.now()));
	};
	scheduleQuiet(nextQuietReload(new Date(), o.quietHour, Math.random() * QUIET_SPREAD_MS));

	return () => {
		clearInterval(check);
		clearTimeout(quiet);
	};
}
