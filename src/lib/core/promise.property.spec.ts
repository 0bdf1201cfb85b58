import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { promiseCheck } from './promise.ts';
import { commitmentRisks } from './risk.ts';
import { availabilityArb, sampleDate } from './testing/arbitraries.ts';
import { naiveModel, naivePromise } from './testing/naive.reference.ts';
import type { AvailabilityInput } from './types.ts';

const RUNS = { numRuns: 2000 };

describe('promise check against the day-by-day reference', () => {
	it('matches the reference, with and without an excluded commitment', () => {
		const arb = fc.tuple(availabilityArb, fc.integer({ min: 0, max: 90 }), sampleDate(), fc.integer({ min: -1, max: 9 }));
		fc.assert(
			fc.property(arb, ([input, qty, date, excl]) => {
				const excludeCommitmentId = excl >= 0 ? `C${excl}` : undefined;
				const got = promiseCheck(input, { qty, date, excludeCommitmentId });
				expect(got).toEqual(naivePromise(naiveModel(input, [date]), qty, date, excludeCommitmentId));
			}),
			RUNS
		);
	});

	it('accepting a feasible promise never makes another commitment short, earlier or later', () => {
		const arb = fc.tuple(availabilityArb, fc.integer({ min: 1, max: 60 }), sampleDate());
		fc.assert(
			fc.property(arb, ([input, qty, date]) => {
				const check = promiseCheck(input, { qty, date });
				fc.pre(check.feasible && !check.needsPo);
				const before = commitmentRisks(input);
				const next: AvailabilityInput = {
					...input,
					commitments: [...input.commitments, { id: 'NEW', qty, status: 'confirmed', requestedDate: date, promisedDate: date }]
				};
				const after = commitmentRisks(next);
				for (const [id, r] of before) if (r.risk !== 'short') expect(after.get(id)?.risk).not.toBe('short');
				expect(after.get('NEW')?.risk).not.toBe('short');
			}),
			{ numRuns: 1000 }
		);
	});
});
