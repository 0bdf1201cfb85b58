// Shifts in a site's own time zone. A night shift (22–06) belongs to the date it starts on, so the
// note written at 02:00 is filed under the previous evening, where the people on that shift look.
import type { IsoDate } from '../contract/domain.ts';
import type { Shift } from '../contract/notifications.ts';
import { addDays } from './dates.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(instant: Date, timeZone: string): { date: IsoDate; hour: number } {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
		formatters.set(timeZone, f);
	}
	const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
	return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) };
}

/** The shift running at `instant` at a site in `timeZone`. */
export function shiftAt(instant: Date, timeZone = 'UTC'): { date: IsoDate; shift: Shift } {
	const { date, hour } = parts(instant, timeZone);
	if (hour < 6) return { date: addDays(date, -1), shift: 'night' };
	if (hour < 14) return { date, shift: 'early' };
	if (hour < 22) return { date, shift: 'late' };
	return { date, shift: 'night' };
}

export const SHIFT_LABELS: Record<Shift, string> = { early: 'Early 06–14', late: 'Late 14–22', night: 'Night 22–06' };

/** Today's calendar date at a site. */
export function siteToday(instant: Date, timeZone = 'UTC'): IsoDate {
	return parts(instant, timeZone).date;
}
