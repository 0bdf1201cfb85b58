import { describe, expect, it } from 'vitest';
import { computeAtp, valueOn } from './atp.ts';
import { confirmed, day, input, po, requested, TODAY } from './testing/builders.ts';

const atpOn = (r: ReturnType<typeof computeAtp>, offset: number) => valueOn(r.atp, day(offset), (s) => s.qty);

describe('computeAtp', () => {
	it('with only stock on hand: one step from today', () => {
		const r = computeAtp(input({ onHand: 40 }));
		expect(r.projected).toEqual([{ date: TODAY, balance: 40 }]);
		expect(r.atp).toEqual([{ date: TODAY, qty: 40 }]);
		expect(r).toMatchObject({ fence: null, available: 40, allocated: 0, inbound: 0 });
	});

	it('is cumulative: a later commitment holds back stock from today', () => {
		const r = computeAtp(input({ onHand: 10, inbound: [po('P1', 30, 8)], commitments: [confirmed('C1', 10, 5)] }));
		expect(r.projected).toEqual([
			{ date: TODAY, balance: 10 },
			{ date: day(5), balance: 0 },
			{ date: day(8), balance: 30 }
		]);
		expect(r.atp).toEqual([
			{ date: TODAY, qty: 0 },
			{ date: day(8), qty: 30 }
		]);
		expect(r.allocated).toBe(10);
	});

	it('with zero safety stock ATP is the suffix minimum of P; safety stock lowers it and floors at 0', () => {
		const base = { onHand: 20, commitments: [confirmed('C1', 5, 3)] };
		expect(atpOn(computeAtp(input({ ...base, safetyStock: 0 })), 0)).toBe(15);
		expect(atpOn(computeAtp(input({ ...base, safetyStock: 12 })), 0)).toBe(3);
		expect(atpOn(computeAtp(input({ ...base, safetyStock: 40 })), 0)).toBe(0);
	});

	it('counts a late inbound line (ETA in the past) from today and reports it', () => {
		const late = po('P1', 25, -3);
		const r = computeAtp(input({ onHand: 5, inbound: [late] }));
		expect(r.projected).toEqual([{ date: TODAY, balance: 30 }]);
		expect(r.lateInbound).toEqual([late]);
	});

	it('an ETA of today is not late', () => {
		expect(computeAtp(input({ inbound: [po('P1', 5, 0)] })).lateInbound).toEqual([]);
	});

	it('does not count a line without ETA, and flags it', () => {
		const undated = po('P1', 25, null);
		const r = computeAtp(input({ onHand: 5, inbound: [undated] }));
		expect(r.available).toBe(5);
		expect(r.inbound).toBe(25);
		expect(r.undatedInbound).toEqual([undated]);
	});

	it('flags a confirmed commitment without any date and does not count it as demand', () => {
		const c = confirmed('C1', 8, null);
		const r = computeAtp(input({ onHand: 10, commitments: [c] }));
		expect(r.available).toBe(10);
		expect(r.undatedDemand).toEqual([c]);
		expect(r.allocated).toBe(8);
	});

	it('uses the requested date while no promised date is set, and past-due demand is due today', () => {
		const c = { ...confirmed('C1', 4, null), requestedDate: day(-2) };
		const r = computeAtp(input({ onHand: 10, commitments: [c] }));
		expect(r.projected).toEqual([{ date: TODAY, balance: 6 }]);
	});

	it('reports requested (unconfirmed) demand without consuming ATP', () => {
		const r = computeAtp(input({ onHand: 10, commitments: [requested('R1', 7, 2), requested('R2', 1, 4)] }));
		expect(r.available).toBe(10);
		expect(r.requested).toEqual([
			{ date: TODAY, qty: 0 },
			{ date: day(2), qty: 7 },
			{ date: day(4), qty: 8 }
		]);
	});

	it('ignores shipped and cancelled commitments', () => {
		const r = computeAtp(
			input({ onHand: 10, commitments: [confirmed('C1', 5, 1, { status: 'shipped' }), confirmed('C2', 5, 1, { status: 'cancelled' })] })
		);
		expect(r.available).toBe(10);
	});

	it('counts backordered units as demand due today', () => {
		const r = computeAtp(input({ onHand: 0, backordered: 6, inbound: [po('P1', 10, 3)] }));
		expect(r.projected[0]).toEqual({ date: TODAY, balance: -6 });
		expect(r.atp).toEqual([
			{ date: TODAY, qty: 0 },
			{ date: day(3), qty: 4 }
		]);
	});

	describe('infinite-supply fence', () => {
		it('sits at today + lead time and appears in both series', () => {
			const r = computeAtp(input({ onHand: 10, leadTimeDays: 7 }));
			expect(r.fence).toBe(day(7));
			expect(r.atp.map((s) => s.date)).toEqual([TODAY, day(7)]);
			expect(r.projected.map((s) => s.date)).toEqual([TODAY, day(7)]);
		});

		it('demand at or beyond the fence does not hold back stock before it', () => {
			const commitments = [confirmed('C1', 10, 7)];
			const fenced = computeAtp(input({ onHand: 10, leadTimeDays: 7, commitments }));
			expect(atpOn(fenced, 0)).toBe(10);
			// From the fence on, the series shows what known supply still covers.
			expect(atpOn(fenced, 7)).toBe(0);
			const inside = computeAtp(input({ onHand: 10, leadTimeDays: 8, commitments }));
			expect(atpOn(inside, 0)).toBe(0);
		});

		it('no lead time, no fence: demand anywhere in the horizon counts', () => {
			const r = computeAtp(input({ onHand: 10, leadTimeDays: null, commitments: [confirmed('C1', 10, 300)] }));
			expect(r.fence).toBeNull();
			expect(atpOn(r, 0)).toBe(0);
		});

		it('lead time 0 puts the fence today', () => {
			expect(computeAtp(input({ onHand: 1, leadTimeDays: 0 })).fence).toBe(TODAY);
		});
	});
});
