import { describe, expect, it } from 'vitest';
import { promiseCheck, promiseOptions } from './promise.ts';
import { commitmentRisks } from './risk.ts';
import { confirmed, day, input, po, TODAY } from './testing/builders.ts';
import type { AvailabilityInput } from './types.ts';

describe('promiseCheck', () => {
	const stock = input({ onHand: 20, inbound: [po('P1', 30, 6)], commitments: [confirmed('C1', 5, 2)] });

	it('is feasible for exactly the ATP, and reports the earliest date it would hold', () => {
		expect(promiseCheck(stock, { qty: 15, date: day(3) })).toEqual({ feasible: true, earliestDate: TODAY, shortQty: 0, needsPo: false });
	});

	it('one unit more is short by 1, with the earliest date after the inbound', () => {
		expect(promiseCheck(stock, { qty: 16, date: day(3) })).toEqual({ feasible: false, earliestDate: day(6), shortQty: 1, needsPo: false });
	});

	it('never covers a qty with no fence and no supply: earliest date null', () => {
		expect(promiseCheck(stock, { qty: 46, date: day(3) })).toEqual({ feasible: false, earliestDate: null, shortQty: 31, needsPo: false });
	});

	it('a date in the past is checked as today', () => {
		expect(promiseCheck(stock, { qty: 15, date: day(-5) }).feasible).toBe(true);
		expect(promiseCheck(stock, { qty: 16, date: day(-5) })).toMatchObject({ feasible: false, shortQty: 1 });
	});

	it('a zero qty is always feasible today', () => {
		expect(promiseCheck(input(), { qty: 0, date: TODAY })).toMatchObject({ feasible: true, earliestDate: TODAY });
	});

	it('excludes the commitment being re-checked', () => {
		const tight = input({ onHand: 10, commitments: [confirmed('C1', 10, 4)] });
		expect(promiseCheck(tight, { qty: 10, date: day(4) }).feasible).toBe(false);
		expect(promiseCheck(tight, { qty: 10, date: day(4), excludeCommitmentId: 'C1' }).feasible).toBe(true);
		expect(promiseCheck(tight, { qty: 10, date: day(4), excludeCommitmentId: 'unknown' }).feasible).toBe(false);
	});

	it('excluding a commitment frees only its own qty from its date on', () => {
		const two = input({ onHand: 10, inbound: [po('P1', 10, 6)], commitments: [confirmed('C1', 10, 4), confirmed('C2', 10, 8)] });
		// Without C2, C1 still holds the on-hand units until the PO lands on day 6.
		expect(promiseCheck(two, { qty: 10, date: day(2), excludeCommitmentId: 'C2' })).toMatchObject({ feasible: false, earliestDate: day(6) });
		expect(promiseCheck(two, { qty: 10, date: day(2), excludeCommitmentId: 'C1' })).toMatchObject({ feasible: true, earliestDate: TODAY });
	});

	describe('fence', () => {
		const fenced = input({ onHand: 5, leadTimeDays: 10 });

		it('the day before the fence is limited by known supply; the fence day is feasible with a PO', () => {
			expect(promiseCheck(fenced, { qty: 50, date: day(9) })).toEqual({ feasible: false, earliestDate: day(10), shortQty: 45, needsPo: true });
			expect(promiseCheck(fenced, { qty: 50, date: day(10) })).toEqual({ feasible: true, earliestDate: day(10), shortQty: 0, needsPo: true });
		});

		it('beyond the fence known supply still avoids a PO when it covers the qty', () => {
			expect(promiseCheck(fenced, { qty: 5, date: day(20) })).toEqual({ feasible: true, earliestDate: TODAY, shortQty: 0, needsPo: false });
		});

		it('an inbound line landing on the fence day covers it without a PO', () => {
			const withPo = { ...fenced, inbound: [po('P1', 50, 10)] };
			expect(promiseCheck(withPo, { qty: 50, date: day(9) })).toMatchObject({ feasible: false, earliestDate: day(10), needsPo: false });
		});

		it('lead time null: no fence, so no promise beyond known supply', () => {
			expect(promiseCheck({ ...fenced, leadTimeDays: null }, { qty: 50, date: day(400) })).toMatchObject({
				feasible: false,
				earliestDate: null
			});
		});
	});
});

describe('promiseOptions', () => {
	it('lists sites best first: feasible, feasible with a PO, by earliest date, never last', () => {
		const opts = promiseOptions(
			[
				{ site: 'D', input: input({ onHand: 0 }) },
				{ site: 'C', input: input({ onHand: 0, inbound: [po('P', 50, 3)] }) },
				{ site: 'B', input: input({ onHand: 0, leadTimeDays: 1 }) },
				{ site: 'A', input: input({ onHand: 100 }) },
				{ site: 'E', input: input({ onHand: 0, inbound: [po('P', 50, 2)] }) }
			],
			{ qty: 20, date: day(1) }
		);
		expect(opts.map((o) => [o.site, o.feasible, o.earliestDate, o.needsPo])).toEqual([
			['A', true, TODAY, false],
			['B', true, day(1), true],
			['E', false, day(2), false],
			['C', false, day(3), false],
			['D', false, null, false]
		]);
	});
});

describe('performance', () => {
	function big(): AvailabilityInput {
		const commitments = Array.from({ length: 1000 }, (_, i) => confirmed(`C${i}`, 1 + (i % 17), (i * 7) % 180));
		const inbound = Array.from({ length: 200 }, (_, i) => po(`P${i}`, 20 + (i % 50), (i * 11) % 200));
		return input({ onHand: 500, safetyStock: 40, leadTimeDays: 120, inbound, commitments });
	}

	it('checks one SKU×site with 1,000 commitments and 200 inbound lines in milliseconds', () => {
		const data = big();
		const time = (f: () => void, runs: number) => {
			for (let i = 0; i < 5; i++) f();
			const t0 = performance.now();
			for (let i = 0; i < runs; i++) f();
			return (performance.now() - t0) / runs;
		};
		const check = time(() => promiseCheck(data, { qty: 300, date: day(30), excludeCommitmentId: 'C5' }), 50);
		const risks = time(() => commitmentRisks(data), 20);
		// Generous bounds: CI machines are shared; typical figures are far lower.
		expect(check).toBeLessThan(10);
		expect(risks).toBeLessThan(25);
	});
});
