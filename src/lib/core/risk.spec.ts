import { describe, expect, it } from 'vitest';
import { commitmentRisks } from './risk.ts';
import { confirmed, day, input, po, requested } from './testing/builders.ts';

const ok = { risk: 'ok', shortQty: 0, earliestDate: null };
const atRisk = { risk: 'at_risk', shortQty: 0, earliestDate: null };

describe('commitmentRisks', () => {
	it('ok: covered by on hand with safety stock intact', () => {
		const r = commitmentRisks(input({ onHand: 30, safetyStock: 10, commitments: [confirmed('C1', 20, 3)] }));
		expect(r.get('C1')).toEqual(ok);
	});

	it('at_risk: dips into safety stock (zero safety stock: the same case is ok)', () => {
		const commitments = [confirmed('C1', 25, 3)];
		expect(commitmentRisks(input({ onHand: 30, safetyStock: 10, commitments })).get('C1')).toEqual(atRisk);
		expect(commitmentRisks(input({ onHand: 30, safetyStock: 0, commitments })).get('C1')).toEqual(ok);
	});

	it('at_risk: covered only thanks to inbound that has not arrived (late lines included)', () => {
		expect(commitmentRisks(input({ onHand: 5, inbound: [po('P1', 20, 2)], commitments: [confirmed('C1', 10, 3)] })).get('C1')).toEqual(atRisk);
		expect(commitmentRisks(input({ onHand: 5, inbound: [po('P1', 20, -2)], commitments: [confirmed('C1', 10, 0)] })).get('C1')).toEqual(atRisk);
	});

	it('short: the gap and the earliest date that would hold', () => {
		const r = commitmentRisks(input({ onHand: 5, inbound: [po('P1', 20, 6)], commitments: [confirmed('C1', 12, 3)] }));
		expect(r.get('C1')).toEqual({ risk: 'short', shortQty: 7, earliestDate: day(6) });
	});

	it('short never exceeds the qty, and qty exactly covered is not short', () => {
		const r = commitmentRisks(input({ onHand: 10, backordered: 50, commitments: [confirmed('C1', 8, 1)] }));
		expect(r.get('C1')).toMatchObject({ risk: 'short', shortQty: 8, earliestDate: null });
		expect(commitmentRisks(input({ onHand: 8, commitments: [confirmed('C1', 8, 1)] })).get('C1')).toEqual(ok);
	});

	it('a conflict is charged to the later promise: the earlier one keeps the stock', () => {
		const r = commitmentRisks(input({ onHand: 10, commitments: [confirmed('C1', 10, 1), confirmed('C2', 10, 5)] }));
		expect(r.get('C1')).toEqual(ok);
		expect(r.get('C2')).toEqual({ risk: 'short', shortQty: 10, earliestDate: null });
	});

	it('a later commitment does not make an earlier one short when supply arrives in between', () => {
		const r = commitmentRisks(input({ onHand: 10, inbound: [po('P1', 10, 3)], commitments: [confirmed('C1', 10, 1), confirmed('C2', 10, 5)] }));
		expect(r.get('C1')).toEqual(ok);
		expect(r.get('C2')).toEqual(atRisk);
	});

	it('unknown: no date at all', () => {
		expect(commitmentRisks(input({ onHand: 99, commitments: [confirmed('C1', 1, null)] })).get('C1')).toEqual({
			risk: 'unknown',
			shortQty: 0,
			earliestDate: null
		});
	});

	it('unknown SKU: never ok, but a real shortage is still short', () => {
		const covered = commitmentRisks(input({ unknownSku: true, onHand: 99, commitments: [confirmed('C1', 1, 2)] }));
		expect(covered.get('C1')?.risk).toBe('unknown');
		const missing = commitmentRisks(input({ unknownSku: true, onHand: 0, commitments: [confirmed('C1', 1, 2)] }));
		expect(missing.get('C1')?.risk).toBe('short');
	});

	it('beyond the fence: never short; at_risk when it needs a PO', () => {
		const commitments = [confirmed('C1', 50, 10)];
		expect(commitmentRisks(input({ onHand: 5, leadTimeDays: 10, commitments })).get('C1')).toEqual(atRisk);
		expect(commitmentRisks(input({ onHand: 60, leadTimeDays: 10, commitments })).get('C1')).toEqual(ok);
		expect(commitmentRisks(input({ onHand: 5, leadTimeDays: 11, commitments })).get('C1')?.risk).toBe('short');
	});

	it('past-due commitments are checked as due today', () => {
		expect(commitmentRisks(input({ onHand: 5, commitments: [confirmed('C1', 5, -3)] })).get('C1')).toEqual(ok);
	});

	it('covers confirmed commitments only', () => {
		const r = commitmentRisks(input({ onHand: 5, commitments: [requested('R1', 1, 1), confirmed('S', 1, 1, { status: 'shipped' })] }));
		expect(r.size).toBe(0);
	});

	describe('allocation in promise order', () => {
		it('a PO re-dated past the later commitment makes only that one short', () => {
			const r = commitmentRisks(
				input({
					onHand: 100,
					safetyStock: 10,
					leadTimeDays: 10,
					inbound: [po('P1', 50, 9, { previousEta: day(5) })],
					commitments: [confirmed('C1', 80, 3), confirmed('C2', 60, 7)]
				})
			);
			// P_C1 = 100 − 80 = 20 ≥ SS; P_C2 = 100 − 140 = −40 (the PO now lands on D9).
			expect(r.get('C1')).toEqual(ok);
			expect(r.get('C2')).toEqual({ risk: 'short', shortQty: 40, earliestDate: day(9) });
		});

		it('on the same date the higher priority is served first, then the lower id', () => {
			const byPriority = commitmentRisks(
				input({ onHand: 10, commitments: [confirmed('A', 10, 2, { priority: 1 }), confirmed('B', 10, 2, { priority: 5 })] })
			);
			expect(byPriority.get('B')).toEqual(ok);
			expect(byPriority.get('A')).toMatchObject({ risk: 'short', shortQty: 10 });
			// No priority counts as 0.
			const missing = commitmentRisks(input({ onHand: 10, commitments: [confirmed('A', 10, 2), confirmed('B', 10, 2, { priority: 1 })] }));
			expect(missing.get('B')).toEqual(ok);
			expect(missing.get('A')).toMatchObject({ risk: 'short', shortQty: 10 });
			const byId = commitmentRisks(
				input({ onHand: 10, commitments: [confirmed('B', 10, 2, { priority: 3 }), confirmed('A', 10, 2, { priority: 3 })] })
			);
			expect(byId.get('A')).toEqual(ok);
			expect(byId.get('B')).toMatchObject({ risk: 'short', shortQty: 10 });
		});

		it('priority never moves a promise ahead of an earlier date, past-due ones included', () => {
			const r = commitmentRisks(input({ onHand: 10, commitments: [confirmed('C2', 10, 4, { priority: 9 }), confirmed('C1', 10, 3)] }));
			expect(r.get('C1')).toEqual(ok);
			expect(r.get('C2')).toMatchObject({ risk: 'short', shortQty: 10 });
			// Both past due (so both due today): the older promise is still served first.
			const late = commitmentRisks(input({ onHand: 10, commitments: [confirmed('C2', 10, -1, { priority: 9 }), confirmed('C1', 10, -3)] }));
			expect(late.get('C1')).toEqual(ok);
			expect(late.get('C2')).toMatchObject({ risk: 'short', shortQty: 10 });
		});

		it('a later commitment overdrawing stock never makes an earlier one short', () => {
			const r = commitmentRisks(
				input({ onHand: 10, inbound: [po('P1', 5, 2)], commitments: [confirmed('C1', 10, 1), confirmed('C2', 500, 5), confirmed('C3', 1, 6)] })
			);
			expect(r.get('C1')).toEqual(ok);
			expect(r.get('C2')).toEqual({ risk: 'short', shortQty: 495, earliestDate: null });
			// C3 comes after C2 in promise order, so C2's deficit is ahead of it.
			expect(r.get('C3')).toEqual({ risk: 'short', shortQty: 1, earliestDate: null });
		});

		it('undated and beyond-fence demand take nothing from an earlier promise', () => {
			const r = commitmentRisks(
				input({ onHand: 10, leadTimeDays: 5, commitments: [confirmed('C1', 10, 2), confirmed('U', 50, null), confirmed('F', 50, 8)] })
			);
			expect(r.get('C1')).toEqual(ok);
			expect(r.get('U')?.risk).toBe('unknown');
			expect(r.get('F')).toEqual(atRisk); // needs a PO
		});

		it('at_risk when only an inbound line not yet arrived covers it after earlier promises', () => {
			const commitments = [confirmed('C1', 10, 1), confirmed('C2', 10, 4)];
			const covered = commitmentRisks(input({ onHand: 10, inbound: [po('P1', 10, 3)], commitments }));
			expect(covered.get('C1')).toEqual(ok);
			expect(covered.get('C2')).toEqual(atRisk);
			const tooLate = commitmentRisks(input({ onHand: 10, inbound: [po('P1', 10, 5)], commitments }));
			expect(tooLate.get('C1')).toEqual(ok);
			expect(tooLate.get('C2')).toEqual({ risk: 'short', shortQty: 10, earliestDate: day(5) });
		});

		it('at_risk when it dips into safety stock; the earlier promise that does not stays ok', () => {
			const r = commitmentRisks(input({ onHand: 30, safetyStock: 10, commitments: [confirmed('C1', 15, 1), confirmed('C2', 10, 2)] }));
			expect(r.get('C1')).toEqual(ok); // 30 − 15 = 15 ≥ 10
			expect(r.get('C2')).toEqual(atRisk); // 30 − 25 = 5 < 10
		});
	});
});
