import { describe, expect, it } from 'vitest';
import { dailyValues, dayRange, epochSeconds, sameValues, shortDate } from './chart-series.ts';

describe('chart series', () => {
	it('a step holds from its date until the next one; before the first, the first value holds', () => {
		const days = dayRange('2026-01-02', '2026-01-07');
		expect(days).toEqual(['2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07']);
		const steps = [
			{ date: '2026-01-05', value: 4 },
			{ date: '2026-01-01', value: 10 },
			{ date: '2026-01-07', value: -2 }
		];
		expect(dailyValues(steps, days)).toEqual([10, 10, 10, 4, 4, -2]);
		expect(dailyValues([{ date: '2026-02-01', value: 9 }], days)).toEqual([9, 9, 9, 9, 9, 9]);
		expect(dailyValues([], days)).toEqual([null, null, null, null, null, null]);
	});

	it('dates are UTC midnights and read back as MM-DD, across month ends', () => {
		expect(epochSeconds('2026-03-01') - epochSeconds('2026-02-28')).toBe(86_400);
		expect(shortDate(epochSeconds('2026-12-31'))).toBe('12-31');
		expect(dayRange('2026-02-27', '2026-03-01')).toHaveLength(3);
	});

	it('compares series day by day', () => {
		expect(sameValues([1, 2, null], [1, 2, null])).toBe(true);
		expect(sameValues([1, 2], [1, 3])).toBe(false);
		expect(sameValues([1], [1, 1])).toBe(false);
	});
});
