import { describe, expect, it } from 'vitest';
import { ageText, isStale, nextQuietReload, pixelShift } from './wall-timing.ts';

describe('wall timing', () => {
	it('is stale only after two missed heartbeats', () => {
		expect(isStale(10_000 + 20_000, 10_000, 10_000)).toBe(false);
		expect(isStale(10_000 + 25_001, 10_000, 10_000)).toBe(true);
		expect(isStale(2_400, 0, 1_000)).toBe(false);
		expect(isStale(2_600, 0, 1_000)).toBe(true);
	});
	it('schedules the quiet-hour reload at the next local occurrence', () => {
		const now = new Date(2026, 2, 10, 14, 0, 0);
		expect(new Date(nextQuietReload(now, '03:30'))).toEqual(new Date(2026, 2, 11, 3, 30, 0));
		expect(new Date(nextQuietReload(now, '15:00'))).toEqual(new Date(2026, 2, 10, 15, 0, 0));
		expect(nextQuietReload(now, '15:00', 5000) - nextQuietReload(now, '15:00')).toBe(5000);
		expect(new Date(nextQuietReload(now, 'garbage'))).toEqual(new Date(2026, 2, 11, 3, 30, 0));
	});
	it('walks the pixel shift around a square within the amplitude, one pixel per step', () => {
		const seen = Array.from({ length: 48 }, (_, n) => pixelShift(n, 6));
		for (const p of seen) expect(Math.max(Math.abs(p.x), Math.abs(p.y))).toBe(6);
		for (let n = 1; n < 60; n++) {
			const a = pixelShift(n - 1, 6);
			const b = pixelShift(n, 6);
			expect(Math.abs(a.x - b.x) + Math.abs(a.y - b.y)).toBe(1);
		}
		expect(pixelShift(48, 6)).toEqual(pixelShift(0, 6));
		expect(pixelShift(5, 0)).toEqual({ x: 0, y: 0 });
	});
	it('says how old the data is', () => {
		expect(ageText(5_000, null)).toBe('no updates yet');
		expect(ageText(65_000, 0)).toBe('updated 65s ago');
		expect(ageText(600_000, 0)).toBe('updated 10m ago');
	});
});
