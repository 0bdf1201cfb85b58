import { describe, expect, it } from 'vitest';
import { niceExtent, stepCorners, weekTicks } from './steps';

describe('chart geometry', () => {
	it('a step series becomes corners over the window, the value holding until the next date', () => {
		const s = [
			{ date: '2026-01-01', value: 10 },
			{ date: '2026-01-05', value: 4 },
			{ date: '2026-02-01', value: 9 }
		];
		expect(stepCorners(s, '2026-01-02', '2026-01-10')).toEqual([
			{ date: '2026-01-02', value: 10 },
			{ date: '2026-01-05', value: 10 },
			{ date: '2026-01-05', value: 4 },
			{ date: '2026-01-10', value: 4 }
		]);
		expect(stepCorners([], '2026-01-01', '2026-01-02')).toEqual([]);
	});

	it('extents include zero and round outwards; ticks are weekly', () => {
		expect(niceExtent([37, 120])).toEqual([0, 200]);
		expect(niceExtent([-30, 45])).toEqual([-30, 50]);
		expect(weekTicks('2026-01-01', '2026-01-20')).toEqual(['2026-01-01', '2026-01-08', '2026-01-15']);
	});
});
