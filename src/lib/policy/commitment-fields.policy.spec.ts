import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../contract/domain.ts';
import { COMMITMENT_FIELDS, fieldViolations, mayChange, OPS_FIELDS, SALES_FIELDS, type CommitmentValues } from './commitment-fields.policy.ts';

const base: CommitmentValues = {
	customer: 'Acme',
	sku: 'S-1',
	qty: 40,
	requestedDate: '2026-12-14',
	priority: 1,
	promisedDate: null,
	site: null,
	status: 'requested',
	notes: '',
	owner: 'sales@x'
};

describe('commitment field ownership', () => {
	it('follows the contract table for every role and field', () => {
		for (const f of SALES_FIELDS) expect([mayChange('sales', f), mayChange('ops', f)]).toEqual([true, false]);
		for (const f of OPS_FIELDS) expect([mayChange('sales', f), mayChange('ops', f)]).toEqual([false, true]);
		expect(mayChange('sales', 'notes') && mayChange('ops', 'notes')).toBe(true);
		for (const f of COMMITMENT_FIELDS) expect(mayChange('viewer', f)).toBe(false);
		for (const f of COMMITMENT_FIELDS) expect(mayChange('admin', f)).toBe(true);
	});

	it('lets sales create only with the ops-owned keys at their initial values', () => {
		expect(fieldViolations('sales', null, base)).toEqual([]);
		expect(fieldViolations('sales', null, { ...base, promisedDate: undefined, site: undefined, status: undefined })).toEqual([]);
		const v = fieldViolations('sales', null, { ...base, promisedDate: '2026-12-10', status: 'confirmed' });
		expect(v.map((x) => x.field)).toEqual(['promisedDate', 'status']);
		expect(fieldViolations('ops', null, { ...base, status: 'confirmed', site: 'A' })).toEqual([]);
	});

	it('names each field a role changed without owning it', () => {
		const after = { ...base, qty: 50, promisedDate: '2026-12-12', notes: 'hi' };
		expect(fieldViolations('sales', base, after).map((x) => x.field)).toEqual(['promisedDate']);
		expect(fieldViolations('ops', base, after).map((x) => x.field)).toEqual(['qty']);
		expect(fieldViolations('admin', base, after)).toEqual([]);
		expect(fieldViolations('viewer', base, { ...base })).toHaveLength(1);
		expect(fieldViolations('viewer', base, base)).toEqual([]);
	});

	it('refuses deletion to everyone but admin', () => {
		expect(fieldViolations('sales', base, null)).toHaveLength(1);
		expect(fieldViolations('ops', base, null)).toHaveLength(1);
		expect(fieldViolations('admin', base, null)).toEqual([]);
	});

	it('never reports a field whose value did not change, and always reports an unowned change (property)', () => {
		const value = fc.oneof(fc.constant(null), fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 3 }));
		const values = fc.record(Object.fromEntries(COMMITMENT_FIELDS.map((f) => [f, value])) as Record<string, fc.Arbitrary<unknown>>);
		fc.assert(
			fc.property(fc.constantFrom(...ROLES.filter((r) => r !== 'viewer')), values, values, (role, before, after) => {
				const reported = new Set(fieldViolations(role, before, after).map((v) => v.field));
				for (const f of COMMITMENT_FIELDS) {
					const changed = (before[f] ?? null) !== (after[f] ?? null);
					expect(reported.has(f)).toBe(changed && !mayChange(role, f));
				}
			}),
			{ numRuns: 2000 }
		);
	});
});
