import { describe, expect, it } from 'vitest';
import { describeSignal, indexSignals, signalsAffecting, type BoardSignal } from './card-signals.ts';

const signal = (id: string, v: Partial<BoardSignal> = {}): BoardSignal => ({
	id, sku: 'S1', site: 'A', kind: 'volume', customer: null, qty: 40, per: 'week', startDate: '2026-12-10', endDate: null, note: '', createdBy: 'sales', withdrawnAt: null, ...v
});

describe('signals on a card', () => {
	const index = indexSignals([
		signal('here'),
		signal('other-site', { site: 'B' }),
		signal('other-sku', { sku: 'S2' }),
		signal('later', { startDate: '2026-12-20' }),
		signal('withdrawn', { withdrawnAt: '2026-12-01T00:00:00Z' })
	]);

	it('shows the live signals of its SKU×site that start by the date it ships', () => {
		expect(signalsAffecting(index, { sku: 'S1', site: 'A', promisedDate: '2026-12-15' }).map((s) => s.id)).toEqual(['here']);
		expect(signalsAffecting(index, { sku: 'S1', site: 'A', promisedDate: null, requestedDate: '2026-12-25' }).map((s) => s.id)).toEqual(['here', 'later']);
		expect(signalsAffecting(index, { sku: 'S1', site: 'B', promisedDate: '2026-12-15' }).map((s) => s.id)).toEqual(['other-site']);
	});

	it('shows none on a card without a site yet', () => {
		expect(signalsAffecting(index, { sku: 'S1', site: null, requestedDate: '2026-12-25' })).toEqual([]);
	});

	it('says what each kind means in a few words', () => {
		expect(describeSignal(signal('v', { customer: 'Acme' }))).toBe('Acme ~40/week from 2026-12-10');
		expect(describeSignal(signal('p', { kind: 'promotion', qty: 200, per: 'total', endDate: '2026-12-31' }))).toBe('promotion +200 from 2026-12-10 to 2026-12-31');
		expect(describeSignal(signal('f', { kind: 'fading', qty: null, per: null }))).toBe('demand fading from 2026-12-10');
	});
});
