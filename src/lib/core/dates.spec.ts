import { describe, expect, it } from 'vitest';
import { addDays, compareDates, diffDays, isIsoDate, localDate, maxDate, minDate } from './dates.ts';

describe('date helpers', () => {
	it('adds days across month, year and leap-day boundaries', () => {
		expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
	});

	it('counts whole days between dates, DST weekends included', () => {
		expect(diffDays('2026-03-30', '2026-03-28')).toBe(2);
		expect(diffDays('2026-03-28', '2026-03-30')).toBe(-2);
		expect(diffDays('2027-01-01', '2026-01-01')).toBe(365);
	});

	it('compares, picks min and max', () => {
		expect(compareDates('2026-03-09', '2026-03-10')).toBe(-1);
		expect(compareDates('2026-03-10', '2026-03-10')).toBe(0);
		expect(maxDate('2026-03-09', '2026-03-10')).toBe('2026-03-10');
		expect(minDate('2026-03-09', '2026-03-10')).toBe('2026-03-09');
	});

	it('accepts only real calendar dates', () => {
		expect(isIsoDate('2026-02-28')).toBe(true);
		expect(isIsoDate('2026-02-30')).toBe(false);
		expect(isIsoDate('2026-2-28')).toBe(false);
		expect(isIsoDate(null)).toBe(false);
	});

	it('reads the local calendar date of an instant in a zone', () => {
		expect(localDate('2026-03-01T03:00:00Z', 'America/New_York')).toBe('2026-02-28');
		expect(localDate('2026-03-01T03:00:00Z')).toBe('2026-03-01');
		expect(localDate('2026-03-01T23:30:00Z', 'Europe/Berlin')).toBe('2026-03-02');
	});
});
