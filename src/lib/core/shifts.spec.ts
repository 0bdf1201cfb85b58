import { describe, expect, it } from 'vitest';
import { shiftAt, siteToday } from './shifts.ts';

describe('shiftAt', () => {
	it('splits the day into early, late and night in the site zone', () => {
		expect(shiftAt(new Date('2026-03-10T06:00:00Z'), 'UTC')).toEqual({ date: '2026-03-10', shift: 'early' });
		expect(shiftAt(new Date('2026-03-10T13:59:59Z'), 'UTC')).toEqual({ date: '2026-03-10', shift: 'early' });
		expect(shiftAt(new Date('2026-03-10T14:00:00Z'), 'UTC')).toEqual({ date: '2026-03-10', shift: 'late' });
		expect(shiftAt(new Date('2026-03-10T22:30:00Z'), 'UTC')).toEqual({ date: '2026-03-10', shift: 'night' });
	});
	it('files the small hours under the night shift that started the evening before', () => {
		expect(shiftAt(new Date('2026-03-11T02:00:00Z'), 'UTC')).toEqual({ date: '2026-03-10', shift: 'night' });
		expect(shiftAt(new Date('2026-01-01T03:00:00Z'), 'UTC')).toEqual({ date: '2025-12-31', shift: 'night' });
	});
	it('uses the site time zone', () => {
		// 13:00 UTC is 08:00 in New York (EST) and 22:00 in Tokyo.
		expect(shiftAt(new Date('2026-01-15T13:00:00Z'), 'America/New_York')).toEqual({ date: '2026-01-15', shift: 'early' });
		expect(shiftAt(new Date('2026-01-15T13:00:00Z'), 'Asia/Tokyo')).toEqual({ date: '2026-01-15', shift: 'night' });
		expect(siteToday(new Date('2026-01-15T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-01-16');
	});
});
