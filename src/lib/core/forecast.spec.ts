import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateAlerts, type AlertSnapshot } from './alert-rules.ts';
import { computeAtp } from './atp.ts';
import { commitmentRisks } from './risk.ts';
import { promiseCheck } from './promise.ts';
import { addDays } from './dates.ts';
import { signalForecast, signalLabel, type SignalSpec } from './forecast.ts';
import { confirmed, day, input, po, TODAY } from './testing/builders.ts';

const volume = (over: Partial<SignalSpec> = {}): SignalSpec => ({
	id: 's1',
	kind: 'volume',
	qty: 70,
	per: 'week',
	startDate: TODAY,
	endDate: null,
	customer: 'Acme',
	...over
});
const total = (lines: { qty: number }[]) => lines.reduce((n, l) => n + l.qty, 0);

describe('signalForecast', () => {
	it('spreads a weekly volume into one line per week from its start, up to the horizon', () => {
		const lines = signalForecast([volume()], TODAY, day(20));
		expect(lines).toEqual([
			{ date: TODAY, qty: 70, signal: 'Acme ~70/week from ' + TODAY },
			{ date: day(7), qty: 70, signal: expect.any(String) },
			{ date: day(14), qty: 70, signal: expect.any(String) }
		]);
	});

	it('a monthly rate is 12 months over 365 days; rounding is cumulative, so no drift', () => {
		const lines = signalForecast([volume({ qty: 500, per: 'month' })], TODAY, day(364));
		expect(total(lines)).toBe(Math.round((500 * 12 * 365) / 365));
	});

	it('a promotion spreads its uplift exactly over its dates', () => {
		const promo = { id: 'p', kind: 'promotion' as const, qty: 100, per: null, startDate: day(3), endDate: day(12) };
		const lines = signalForecast([promo], TODAY);
		expect(total(lines)).toBe(100);
		expect(lines[0].date).toBe(day(3));
		expect(lines.every((l) => l.date <= day(12))).toBe(true);
		expect(lines[0].signal).toBe(`promotion +100 ${day(3)} to ${day(12)}`);
	});

	it('drops the part of a signal already past, and dates a half-past week at today', () => {
		const lines = signalForecast([volume({ startDate: day(-10) })], TODAY, day(10));
		expect(lines[0]).toMatchObject({ date: TODAY, qty: 40 }); // days 10..13 of week 2 (4 of 7)
		expect(lines[1]).toMatchObject({ date: day(4) });
	});

	it('a fading signal, or one without a quantity, adds no forecast', () => {
		expect(signalForecast([{ id: 'f', kind: 'fading', qty: null, per: null, startDate: TODAY, endDate: null }], TODAY)).toEqual([]);
		expect(signalForecast([volume({ qty: null })], TODAY)).toEqual([]);
		expect(signalForecast([volume({ endDate: day(-1) })], TODAY)).toEqual([]);
	});

	it('a total over dates comes out exact whatever the dates (property)', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 60 }), (qty, len, start) => {
				const s = volume({ qty, per: 'total', startDate: day(start), endDate: day(start + len) });
				expect(total(signalForecast([s], TODAY, addDays(TODAY, 400)))).toBe(qty);
			})
		);
	});

	it('labels name the customer and the rate', () => {
		expect(signalLabel(volume({ per: 'month', qty: 500, endDate: day(30) }))).toBe(`Acme ~500/month from ${TODAY} to ${day(30)}`);
		expect(signalLabel({ id: 'f', kind: 'fading', qty: null, per: null, startDate: TODAY, endDate: null })).toBe(`demand fading from ${TODAY}`);
	});
});

describe('forecast demand in the availability core', () => {
	const base = input({ onHand: 100, safetyStock: 20, leadTimeDays: 14, inbound: [po('P1', 50, 10)], commitments: [confirmed('C1', 30, 5)] });
	const forecast = [
		{ date: day(2), qty: 40, signal: 'Acme ~40/week' },
		{ date: day(9), qty: 40, signal: 'Acme ~40/week' }
	];

	it('absent or switched off, nothing changes', () => {
		const plain = computeAtp(base);
		expect(computeAtp({ ...base, forecast })).toEqual(plain);
		expect(computeAtp({ ...base, forecast, countForecast: false })).toEqual(plain);
		expect(plain.forecast).toBeUndefined();
	});

	it('switched on, it lowers a projection of its own; firm P, ATP, risk and promises stay', () => {
		const plain = computeAtp(base);
		const r = computeAtp({ ...base, forecast, countForecast: true });
		expect(r.projected).toEqual(plain.projected);
		expect(r.atp).toEqual(plain.atp);
		expect(r.forecast).toEqual([
			{ date: TODAY, qty: 0 },
			{ date: day(2), qty: 40 },
			{ date: day(9), qty: 80 },
			{ date: day(14), qty: 80 }
		]);
		expect(r.forecastProjected).toEqual([
			{ date: TODAY, balance: 100 },
			{ date: day(2), balance: 60 },
			{ date: day(5), balance: 30 },
			{ date: day(9), balance: -10 },
			{ date: day(10), balance: 40 },
			{ date: day(14), balance: 40 }
		]);
		expect(commitmentRisks({ ...base, forecast, countForecast: true })).toEqual(commitmentRisks(base));
		expect(promiseCheck({ ...base, forecast, countForecast: true }, { qty: 40, date: day(3) })).toEqual(promiseCheck(base, { qty: 40, date: day(3) }));
	});

	it('ignores forecast lines before today or without quantity', () => {
		const r = computeAtp({ ...base, forecast: [{ date: day(-3), qty: 99 }, { date: day(3), qty: 0 }], countForecast: true });
		expect(r.forecastProjected).toEqual(r.projected);
	});
});

describe('forecast_below_safety_stock', () => {
	const snap = (over: Partial<AlertSnapshot> = {}): AlertSnapshot => ({
		sku: 'SKU-1',
		site: 'WH-A',
		onHand: 100,
		safetyStock: 20,
		leadTimeDays: 14,
		inbound: [],
		commitments: [],
		...over
	});
	const forecast = [{ date: day(5), qty: 90, signal: 'Acme ~90/week from ' + day(5) }];

	it('opens, medium, naming the signal, when the forecast takes P below safety stock within the lead time', () => {
		const a = evaluateAlerts(snap({ forecast, countForecast: true }), TODAY);
		expect(a).toEqual([
			{
				kind: 'forecast_below_safety_stock',
				severity: 'medium',
				subjectKey: 'SKU-1|WH-A',
				sku: 'SKU-1',
				site: 'WH-A',
				commitmentId: null,
				message: `SKU-1 @ WH-A: forecast demand (Acme ~90/week from ${day(5)}) would take the projection to 10 on ${day(5)}, below safety stock 20`
			}
		]);
	});

	it('stays quiet when not counted, beyond the lead time, or when a firm alert already says it', () => {
		expect(evaluateAlerts(snap({ forecast }), TODAY)).toEqual([]);
		expect(evaluateAlerts(snap({ forecast: [{ date: day(20), qty: 90 }], countForecast: true }), TODAY)).toEqual([]);
		const firm = evaluateAlerts(snap({ forecast, countForecast: true, commitments: [confirmed('C1', 90, 3)] }), TODAY);
		expect(firm.map((x) => x.kind)).toEqual(['below_safety_stock']);
	});

	it('with no safety stock it warns of a forecast stockout', () => {
		const a = evaluateAlerts(snap({ safetyStock: 0, forecast: [{ date: day(5), qty: 130, signal: 'promo' }], countForecast: true }), TODAY);
		expect(a[0].message).toBe(`SKU-1 @ WH-A: forecast demand (promo) would take the projection to \u221230 on ${day(5)}, a stockout`);
	});
});
