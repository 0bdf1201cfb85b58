// Calendar-date helpers on `YYYY-MM-DD` strings. Dates are site-local calendar days, so the math is
// done on UTC midnights: no daylight-saving shift can ever move a day boundary.
import type { IsoDate } from '../contract/domain.ts';

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function toUtcMs(d: IsoDate): number {
	return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
}

function fromUtcMs(ms: number): IsoDate {
	return new Date(ms).toISOString().slice(0, 10);
}

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isIsoDate(value: unknown): value is IsoDate {
	// Checked arithmetically: this runs for every line and commitment of every recompute.
	if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
	const y = Number(value.slice(0, 4));
	const m = Number(value.slice(5, 7));
	const d = Number(value.slice(8, 10));
	if (m < 1 || m > 12 || d < 1) return false;
	const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
	return d <= (m === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[m - 1]);
}

export function addDays(d: IsoDate, days: number): IsoDate {
	return fromUtcMs(toUtcMs(d) + Math.trunc(days) * DAY_MS);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function diffDays(to: IsoDate, from: IsoDate): number {
	return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

// `YYYY-MM-DD` sorts lexically in calendar order, which keeps comparisons allocation-free.
export function compareDates(a: IsoDate, b: IsoDate): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
	return a >= b ? a : b;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
	return a <= b ? a : b;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date of an instant in a time zone. en-CA formats as `YYYY-MM-DD`, which avoids
 * assembling parts by hand. Throws RangeError for an unknown zone, like Intl does.
 */
export function localDate(instant: string, timeZone = 'UTC'): IsoDate {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
		formatters.set(timeZone, f);
	}
	return f.format(new Date(instant));
}
