// fast-check generators for small, dense histories: few days and few lines, so collisions
// (same date, same key, past dates, the fence day) happen often.
import fc from 'fast-check';
import type { CommitmentStatus, IsoDate } from '../../contract/domain.ts';
import { addDays } from '../dates.ts';
import type { LedgerEvent } from '../ledger.ts';
import type { AvailabilityInput, CommitmentDemand, InboundSupply } from '../types.ts';

export const TODAY = '2026-03-10';

export const dayOffset = (lo = -4, hi = 20) => fc.integer({ min: lo, max: hi }).map((n) => addDays(TODAY, n));
const maybeDate = (lo?: number, hi?: number) => fc.option(dayOffset(lo, hi), { nil: null, freq: 6 });

const inboundArb: fc.Arbitrary<Omit<InboundSupply, 'key'>> = fc.record({
	qty: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 40 }) }, { weight: 1, arbitrary: fc.constant(0) }),
	eta: maybeDate()
});

const statusArb = fc.constantFrom<CommitmentStatus>('confirmed', 'confirmed', 'confirmed', 'requested', 'shipped', 'cancelled');

const commitmentArb: fc.Arbitrary<Omit<CommitmentDemand, 'id'>> = fc.record(
	{
		qty: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 30 }) }, { weight: 1, arbitrary: fc.constant(0) }),
		status: statusArb,
		requestedDate: maybeDate(),
		promisedDate: fc.option(dayOffset(), { nil: null, freq: 2 }),
		// Few values, often missing, so same-date ties on priority (and on no priority) are common.
		priority: fc.integer({ min: 0, max: 2 })
	},
	{ requiredKeys: ['qty', 'status', 'requestedDate', 'promisedDate'] }
);

export const availabilityArb: fc.Arbitrary<AvailabilityInput> = fc
	.record({
		onHand: fc.integer({ min: 0, max: 80 }),
		backordered: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 15 })),
		safetyStock: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 25 })),
		leadTimeDays: fc.option(fc.integer({ min: 0, max: 15 }), { nil: null, freq: 3 }),
		inbound: fc.array(inboundArb, { maxLength: 6 }),
		commitments: fc.array(commitmentArb, { maxLength: 9 }),
		unknownSku: fc.integer({ min: 0, max: 4 }).map((n) => n === 0)
	})
	.map((r) => ({
		today: TODAY,
		...r,
		inbound: r.inbound.map((l, i) => ({ key: `L${i}`, ...l })),
		commitments: r.commitments.map((c, i) => ({ id: `C${i}`, ...c }))
	}));

const SITES = ['A', 'B'];
const at = fc.integer({ min: 0, max: 40 }).map((n) => new Date(Date.UTC(2026, 2, 1, n % 24, n)).toISOString());
const eta = fc.option(dayOffset(-3, 10), { nil: undefined, freq: 4 });

/** Valid contract events for one SKU over two sites, with few ids so keys and times collide. */
export const eventArb: fc.Arbitrary<LedgerEvent> = fc.oneof(
	fc.record({ type: fc.constant('receipt' as const), qty: fc.integer({ min: 1, max: 30 }), po: fc.option(fc.constantFrom('P1', 'P2', 'T1', 'T2'), { nil: undefined }) }),
	fc.record({ type: fc.constant('shipment' as const), qty: fc.integer({ min: 1, max: 30 }), commitment: fc.option(fc.constantFrom('C1', 'C2'), { nil: undefined }) }),
	fc.record({ type: fc.constant('adjustment' as const), qty: fc.integer({ min: -20, max: 20 }).filter((n) => n !== 0) }),
	fc.record({ type: fc.constant('count' as const), qty: fc.integer({ min: 0, max: 60 }) }),
	fc.record({ type: fc.constant('transfer' as const), qty: fc.integer({ min: 1, max: 20 }), eta }),
	fc.record({ type: fc.constant('po' as const), qty: fc.integer({ min: 0, max: 50 }), po: fc.constantFrom('P1', 'P2'), eta })
).chain((body) =>
	fc.record({ id: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'T1', 'T2'), site: fc.constantFrom(...SITES), at }).map(
		(head): LedgerEvent => {
			const e: LedgerEvent = { ...head, sku: 'S', ...body };
			if (body.type === 'transfer') e.toSite = head.site === 'A' ? 'B' : 'A';
			return e;
		}
	)
);

export const sampleDate = (): fc.Arbitrary<IsoDate> => dayOffset(-3, 24);
