import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeAtp, valueOn } from './atp.ts';
import { availabilityArb } from './testing/arbitraries.ts';
import { naiveFencedAtp, naiveModel, naiveP, naivePhysicalAtp } from './testing/naive.reference.ts';

const RUNS = { numRuns: 2000 };

describe('ATP series against the day-by-day reference', () => {
	it('projected and ATP step lists match the reference on every day', () => {
		fc.assert(
			fc.property(availabilityArb, (input) => {
				const r = computeAtp(input);
				const m = naiveModel(input);
				const got = m.days.map((d) => [d, valueOn(r.projected, d, (s) => s.balance), valueOn(r.atp, d, (s) => s.qty)]);
				const want = m.days.map((d) => [
					d,
					naiveP(m, d),
					m.fence !== null && d >= m.fence ? naivePhysicalAtp(m, d) : naiveFencedAtp(m, d)
				]);
				expect(got).toEqual(want);
				expect(r.atp[0].date).toBe(input.today);
				expect(r.projected[0].date).toBe(input.today);
				if (r.fence) expect(r.atp.some((s) => s.date === r.fence)).toBe(true);
			}),
			RUNS
		);
	});

	it('ATP never decreases before the fence and never exceeds P − SS', () => {
		fc.assert(
			fc.property(availabilityArb, (input) => {
				const r = computeAtp(input);
				const ss = input.safetyStock ?? 0;
				let prev = -Infinity;
				for (const s of r.atp) {
					if (r.fence !== null && s.date >= r.fence) break;
					expect(s.qty).toBeGreaterThanOrEqual(prev);
					expect(s.qty).toBeLessThanOrEqual(Math.max(0, valueOn(r.projected, s.date, (x) => x.balance) - ss));
					prev = s.qty;
				}
			}),
			RUNS
		);
	});

	it('every dated line and commitment is either counted or flagged, never dropped', () => {
		fc.assert(
			fc.property(availabilityArb, (input) => {
				const r = computeAtp(input);
				const open = input.inbound.filter((l) => l.qty > 0);
				expect(r.inbound).toBe(open.reduce((s, l) => s + l.qty, 0));
				expect(r.undatedInbound.map((l) => l.key)).toEqual(open.filter((l) => l.eta === null).map((l) => l.key));
				const undated = input.commitments.filter(
					(c) => (c.status === 'confirmed' || c.status === 'requested') && c.qty > 0 && c.requestedDate === null && c.promisedDate === null
				);
				expect(r.undatedDemand.map((c) => c.id)).toEqual(undated.map((c) => c.id));
			}),
			RUNS
		);
	});
});
