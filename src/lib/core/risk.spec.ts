import { describe, expect, it } from 'vitest';
import { commitmentRisks } from './risk.js';
import { confirmed, day, input, po, requested } from './testing/builders.js';

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

	it('an earlier commitment is short when it eats stock a later one already holds (both show the conflict)', () => {
		const r = commitmentRisks(input({ onHand: 10, commitments: [confirmed('C1', 10, 1), confirmed('C2', 10, 5)] }));
		expect(r.get('C1')).toMatchObject({ risk: 'short', shortQty: 10 });
		expect(r.get('C2')).toMatchObject({ risk: 'short', shortQty: 10 });
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
});
