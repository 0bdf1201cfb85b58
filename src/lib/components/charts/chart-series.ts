// Data for the uPlot charts: step series over calendar days, as the aligned arrays uPlot takes. Pure.
import { addDays } from '$lib/core/dates';

export interface Step {
	date: string;
	value: number;
}

/** Every calendar day from `from` to `to`, both included. */
export function dayRange(from: string, to: string): string[] {
	const out: string[] = [];
	for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
	return out;
}

/**
 * The value holding on each day: a step holds from its date until the next one; before the first
 * step the first value holds (series start today). No steps: no values.
 */
export function dailyValues(steps: readonly Step[], days: readonly string[]): (number | null)[] {
	if (steps.length === 0) return days.map(() => null);
	const sorted = [...steps].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
	let i = 0;
	let current = sorted[0].value;
	return days.map((day) => {
		while (i < sorted.length && sorted[i].date <= day) current = sorted[i++].value;
		return current;
	});
}

/** uPlot's x values are Unix seconds; a calendar date is its UTC midnight (labels are formatted in UTC). */
export function epochSeconds(date: string): number {
	return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 1000;
}

/** `MM-DD` of a uPlot x value, for axis ticks and hover values. */
export function shortDate(seconds: number): string {
	return new Date(seconds * 1000).toISOString().slice(5, 10);
}

/** True when two series hold the same value every day (a forecast line that adds nothing). */
export function sameValues(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
	return a.length === b.length && a.every((v, i) => v === b[i]);
}
