// Geometry for the hand-drawn SVG charts: step series over calendar dates, and plain scales. Pure.
import { addDays, diffDays } from '$lib/core/dates';

export interface Step {
	date: string;
	value: number;
}

/**
 * The corners of a step line over [from, to]: each value holds from its date until the next one.
 * Before the first step the first value holds (the series start today).
 */
export function stepCorners(steps: readonly Step[], from: string, to: string): Step[] {
	if (steps.length === 0 || to < from) return [];
	let current = steps[0].value;
	let i = 0;
	while (i < steps.length && steps[i].date <= from) current = steps[i++].value;
	const out: Step[] = [{ date: from, value: current }];
	for (; i < steps.length && steps[i].date <= to; i++) {
		out.push({ date: steps[i].date, value: current });
		current = steps[i].value;
		out.push({ date: steps[i].date, value: current });
	}
	out.push({ date: to, value: current });
	return out;
}

export interface Scale {
	(v: number): number;
}

export function linear(domain: [number, number], range: [number, number]): Scale {
	const [d0, d1] = domain;
	const [r0, r1] = range;
	const span = d1 - d0 || 1;
	return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

export function dateScale(from: string, to: string, range: [number, number]): (d: string) => number {
	const s = linear([0, Math.max(1, diffDays(to, from))], range);
	return (d) => s(diffDays(d, from));
}

/** A "nice" rounded extent that includes zero, for y axes. */
export function niceExtent(values: readonly number[]): [number, number] {
	const lo = Math.min(0, ...values);
	const hi = Math.max(1, ...values);
	const step = 10 ** Math.floor(Math.log10(Math.max(1, hi - lo)));
	return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

/** Week starts between from and to, for x-axis ticks. */
export function weekTicks(from: string, to: string): string[] {
	const out: string[] = [];
	for (let d = from; d <= to; d = addDays(d, 7)) out.push(d);
	return out;
}

export function path(points: readonly [number, number][]): string {
	return points.map(([x, y], i) => `${i ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
}
