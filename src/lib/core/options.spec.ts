import { describe, expect, it } from 'vitest';
import { commitmentOptions, splitId } from './options.ts';
import type { SkuSituation } from './options.situation.ts';
import { replan } from './replan.ts';
import { confirmed, day, input, po } from './testing/builders.ts';
import type { AvailabilityInput } from './types.ts';

const one = (a: AvailabilityInput, lanes: SkuSituation['lanes'] = []): SkuSituation => ({ sites: [{ site: 'A', input: a }], lanes });
const kinds = (sit: SkuSituation, id: string) => commitmentOptions(sit, id).options.map((o) => o.kind);

describe('commitmentOptions, hand-computed', () => {
	// On hand 5, 20 arrive on day 6; C1 wants 12 on day 3: short by 7, feasible from day 6.
	const shortCase = one(input({ onHand: 5, inbound: [po('P1', 20, 6)], commitments: [confirmed('C1', 12, 3)] }));

	it('later date: the earliest feasible date, nobody else touched', () => {
		const later = commitmentOptions(shortCase, 'C1').options.find((o) => o.kind === 'later_date')!;
		expect(later).toMatchObject({ date: day(6), site: 'A', worseCount: 0, summary: `Promise ${day(6)} instead of ${day(3)}` });
		expect(later.effects[0]).toMatchObject({ commitmentId: 'C1', riskBefore: 'short', riskAfter: 'at_risk', shortBefore: 7, shortAfter: 0 });
		expect(later.moves).toEqual([{ kind: 'update', id: 'C1', site: 'A', promisedDate: day(6), qty: 12 }]);
	});

	it('expedite: the PO must arrive by the ship date; split: 5 now, 7 when the PO lands', () => {
		const { options, risk } = commitmentOptions(shortCase, 'C1');
		expect(risk).toBe('short');
		// Best first: expedite keeps day 3; later date and split both finish on day 6, later date moves less.
		expect(options.map((o) => o.kind)).toEqual(['expedite', 'later_date', 'split']);
		expect(options[0].po).toEqual({ po: 'P1', neededEta: day(3) });
		expect(options[2].parts).toEqual([
			{ qty: 5, date: day(3), site: 'A', commitmentId: 'C1', risk: 'ok' },
			{ qty: 7, date: day(6), site: 'A', commitmentId: 'C1.2', risk: 'at_risk' }
		]);
	});

	it('other site: stock at B ships in time over the lane; too long a lane does not', () => {
		const sit = (transitDays: number): SkuSituation => ({
			sites: [
				{ site: 'A', input: input({ onHand: 0, commitments: [confirmed('C1', 12, 5)] }) },
				{ site: 'B', input: input({ onHand: 30 }) }
			],
			lanes: [{ from: 'B', to: 'A', transitDays }]
		});
		const [best] = commitmentOptions(sit(2), 'C1').options;
		expect(best).toMatchObject({ kind: 'other_site', site: 'B', date: day(5), worseCount: 0, summary: `Ship from B by ${day(3)} (2 days in transit)` });
		expect(best.effects[0]).toMatchObject({ riskBefore: 'short', riskAfter: 'ok' });
		expect(kinds(sit(6), 'C1')).not.toContain('other_site');
		expect(kinds({ ...sit(2), lanes: [] }, 'C1')).not.toContain('other_site');
	});

	it('other site that would hurt a higher-priority commitment there is not offered; a lower one is only counted', () => {
		const sit = (xPriority: number): SkuSituation => ({
			sites: [
				{ site: 'A', input: input({ onHand: 0, commitments: [confirmed('C1', 10, 3, { priority: 5 })] }) },
				// X (10 on day 5) is ok on B's own stock; C1 shipping on day 3 would leave it waiting for the PO.
				{ site: 'B', input: input({ onHand: 10, inbound: [po('P9', 10, 2)], commitments: [confirmed('X', 10, 5, { priority: xPriority })] }) }
			],
			lanes: [{ from: 'A', to: 'B', transitDays: 0 }]
		});
		expect(kinds(sit(9), 'C1')).not.toContain('other_site');
		const other = commitmentOptions(sit(1), 'C1').options.find((o) => o.kind === 'other_site')!;
		expect(other.worseCount).toBe(1);
		expect(other.effects.find((e) => e.commitmentId === 'X')).toMatchObject({ riskBefore: 'ok', riskAfter: 'at_risk', worse: true });
	});

	it('reallocate: takes from the lower-priority promise, which waits for the PO', () => {
		const sit = one(
			input({
				onHand: 10,
				inbound: [po('P1', 13, 20)],
				commitments: [confirmed('LOW', 10, 2, { priority: 1 }), confirmed('HIGH', 10, 5, { priority: 5 }), confirmed('TOP', 3, 30, { priority: 9 })]
			})
		);
		const { options } = commitmentOptions(sit, 'HIGH');
		const take = options.find((o) => o.kind === 'reallocate')!;
		expect(take.takes).toEqual([{ commitmentId: 'LOW', qty: 10, promisedDate: day(20), riskAfter: 'at_risk' }]);
		expect(take).toMatchObject({ date: day(5), worseCount: 1 });
		expect(take.effects.find((e) => e.commitmentId === 'HIGH')).toMatchObject({ riskBefore: 'short', riskAfter: 'ok' });
		// Pulling the PO in to day 5 or moving HIGH to day 20 hurts nobody, so both rank above it.
		expect(options.map((o) => o.kind)).toEqual(['expedite', 'later_date', 'reallocate']);
		expect(options[0].po).toEqual({ po: 'P1', neededEta: day(5) });
		// LOW may not take from HIGH: priority only flows downwards.
		expect(commitmentOptions(sit, 'LOW').options.filter((o) => o.kind === 'reallocate')).toEqual([]);
	});

	it('at risk: options must make it ok; an ok commitment has none', () => {
		// Covered only by a PO landing on day 2; B holds stock one day away.
		const sit: SkuSituation = {
			sites: [
				{ site: 'A', input: input({ onHand: 0, inbound: [po('P1', 10, 2)], commitments: [confirmed('C1', 10, 4)] }) },
				{ site: 'B', input: input({ onHand: 20 }) }
			],
			lanes: [{ from: 'B', to: 'A', transitDays: 1 }]
		};
		const r = commitmentOptions(sit, 'C1');
		expect(r.risk).toBe('at_risk');
		expect(r.options.map((o) => o.kind)).toEqual(['other_site']);
		expect(commitmentOptions(one(input({ onHand: 20, commitments: [confirmed('C1', 10, 4)] })), 'C1')).toEqual({ commitmentId: 'C1', risk: 'ok', options: [] });
	});

	it('option ids change when the situation does', () => {
		const a = commitmentOptions(shortCase, 'C1').options.map((o) => o.id);
		const b = commitmentOptions(one({ ...shortCase.sites[0].input, onHand: 6 }), 'C1').options.map((o) => o.id);
		expect(a).toHaveLength(3);
		expect(new Set(a).size).toBe(3);
		for (const id of b) expect(a).not.toContain(id);
		expect(commitmentOptions(shortCase, 'C1').options.map((o) => o.id)).toEqual(a);
	});

	it('split ids are linked by name and never collide', () => {
		expect(splitId('C1', () => false)).toBe('C1.2');
		expect(splitId('C1', (id) => id === 'C1.2')).toBe('C1.3');
		const long = 'x'.repeat(128);
		expect(splitId(long, () => false)).toHaveLength(128);
	});
});

describe('replan, hand-computed', () => {
	it('by priority then date: the important promise keeps its date, the others wait for supply', () => {
		const a = input({
			onHand: 10,
			leadTimeDays: 30,
			inbound: [po('P1', 10, 8)],
			commitments: [confirmed('EARLY', 10, 2, { priority: 1, customer: 'Acme' }), confirmed('VIP', 10, 4, { priority: 5 }), confirmed('LATE', 5, 9, { priority: 1 })]
		});
		const { before, after } = replan(a);
		expect(before.map((r) => [r.commitmentId, r.promisedDate, r.risk])).toEqual([
			['VIP', day(4), 'short'],
			['EARLY', day(2), 'ok'],
			['LATE', day(9), 'short']
		]);
		// VIP takes the stock on hand; EARLY waits for P1 on day 8; LATE has nothing left before the fence.
		expect(after.map((r) => [r.commitmentId, r.promisedDate, r.risk])).toEqual([
			['VIP', day(4), 'ok'],
			['EARLY', day(8), 'at_risk'],
			['LATE', day(30), 'at_risk']
		]);
		expect(after[1].customer).toBe('Acme');
	});

	it('never moves a promise earlier, and keeps a date nothing can cover', () => {
		const { after } = replan(input({ onHand: 100, commitments: [confirmed('C1', 10, 5)] }));
		expect(after[0].promisedDate).toBe(day(5));
		const none = replan(input({ onHand: 0, commitments: [confirmed('C1', 10, 5)] }));
		expect(none.after[0]).toMatchObject({ promisedDate: day(5), risk: 'short', shortQty: 10, covered: false });
	});
});
