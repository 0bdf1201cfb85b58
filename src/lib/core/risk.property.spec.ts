import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commitmentRisks } from './risk.ts';
import { availabilityArb } from './testing/arbitraries.ts';
import { naiveModel, naiveRisk } from './testing/naive.reference.ts';

describe('commitment risks against the day-by-day reference', () => {
	it('every confirmed commitment, and only those, gets the reference risk', () => {
		fc.assert(
			fc.property(availabilityArb, (input) => {
				const got = commitmentRisks(input);
				const m = naiveModel(input);
				const confirmed = input.commitments.filter((c) => c.status === 'confirmed');
				expect([...got.keys()].sort()).toEqual(confirmed.map((c) => c.id).sort());
				for (const c of confirmed) expect(got.get(c.id)).toEqual(naiveRisk(m, c));
			}),
			{ numRuns: 2000 }
		);
	});
});
