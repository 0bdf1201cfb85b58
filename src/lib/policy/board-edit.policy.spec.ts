import { describe, expect, it } from 'vitest';
import { CARD_KEYS } from '../contract/board.ts';
import type { Role } from '../contract/domain.ts';
import { cardEditRefusals, NOT_TEXT, type CardRecord } from './board-edit.policy.ts';
import { mayChange, type CommitmentField } from './commitment-fields.policy.ts';

const base: CardRecord = new Map<string, unknown>([
	['customer', 'Acme'], ['sku', 'S-1'], ['qty', 4], ['requestedDate', '2027-01-10'], ['promisedDate', null],
	['site', null], ['status', 'requested'], ['owner', null], ['priority', 1], ['notes', '']
]);
const other: Record<string, unknown> = {
	customer: 'Beta', sku: 'S-2', qty: 5, requestedDate: '2027-01-11', promisedDate: '2027-01-12', site: 'W', status: 'confirmed', owner: 'x@y.z', priority: 2, notes: 'hi'
};
const ctx = (role: Role, scope: string[] | null = null) => ({ role, scope });
const withValue = (key: string, value: unknown) => new Map([...base, [key, value]]);

describe('cardEditRefusals', () => {
	it('allows exactly the fields each role owns, for every role and field', () => {
		for (const role of ['sales', 'ops', 'admin', 'viewer'] as Role[]) {
			for (const key of CARD_KEYS) {
				const refusals = cardEditRefusals('c1', base, withValue(key, other[key]), ctx(role));
				const allowed = role !== 'viewer' && mayChange(role, key as CommitmentField);
				expect(refusals.length === 0, `${role} ${key}`).toBe(allowed);
			}
		}
	});

	it('judges only what changed: an untouched invalid legacy value blocks nothing', () => {
		const legacy = withValue('qty', 'many');
		expect(cardEditRefusals('c1', legacy, new Map([...legacy, ['customer', 'New']]), ctx('sales'))).toEqual([]);
	});

	it('refuses deletion for every role, removed keys, unknown and prototype keys, notes that are not text', () => {
		for (const role of ['sales', 'ops', 'admin'] as Role[]) expect(cardEditRefusals('c1', base, null, ctx(role))[0].message).toMatch(/never deleted/);
		const without = new Map(base);
		without.delete('qty');
		expect(cardEditRefusals('c1', base, without, ctx('admin')).map((r) => r.message)).toEqual(['qty may not be removed']);
		for (const key of ['__proto__', 'constructor', 'toString', 'evil']) {
			expect(cardEditRefusals('c1', base, withValue(key, 1), ctx('admin'))[0].message).toBe(`${key} is not a commitment field`);
		}
		expect(cardEditRefusals('c1', base, withValue('notes', NOT_TEXT), ctx('admin'))[0].message).toMatch(/collaborative text/);
	});

	it('checks new cards: id pattern, required keys, ops keys at their initial values for sales', () => {
		expect(cardEditRefusals('-x', null, base, ctx('ops'))[0].message).toMatch(/not a valid commitment id/);
		const partial = new Map(base);
		partial.delete('customer');
		expect(cardEditRefusals('c2', null, partial, ctx('ops'))[0].message).toBe('a new commitment needs customer');
		expect(cardEditRefusals('c2', null, withValue('status', 'confirmed'), ctx('sales'))[0].field).toBe('status');
		expect(cardEditRefusals('c2', null, withValue('status', 'confirmed'), ctx('ops'))).toEqual([]);
	});

	it("keeps a card's site inside the board's scope", () => {
		expect(cardEditRefusals('c1', base, withValue('site', 'E'), ctx('ops', ['W']))[0].message).toMatch(/outside this board's sites/);
		expect(cardEditRefusals('c1', base, withValue('site', 'W'), ctx('ops', ['W']))).toEqual([]);
		expect(cardEditRefusals('c1', base, withValue('site', 'E'), ctx('ops', null))).toEqual([]);
	});
});
