import { describe, expect, it } from 'vitest';
import type { AlertMessage } from '../contract/socket-events.ts';
import { concerns, defaultPrefs, pendingAfterReplay, summarise, toastAction } from './notify.ts';

const alert = (over: Partial<AlertMessage> = {}): AlertMessage => ({
	id: 'a1', kind: 'stockout_projected', severity: 'high', sku: 'K', site: 'S', commitmentId: null, message: 'm',
	status: 'open', openedAt: '2026-01-01T00:00:00Z', acknowledgedBy: null, acknowledgedAt: null, resolvedAt: null,
	change: 'opened', seq: 1, ...over
});

describe('concerns', () => {
	const ops = defaultPrefs('ops');
	it('filters by minimum severity', () => {
		expect(concerns(ops, alert({ severity: 'medium' }))).toBe(true);
		expect(concerns(ops, alert({ severity: 'low' }))).toBe(false);
		expect(concerns({ ...ops, minSeverity: 'critical' }, alert({ severity: 'high' }))).toBe(false);
	});
	it('filters by followed sites; an alert without a site concerns every site', () => {
		const p = { ...ops, sites: ['A'] };
		expect(concerns(p, alert({ site: 'A' }))).toBe(true);
		expect(concerns(p, alert({ site: 'B' }))).toBe(false);
		expect(concerns(p, alert({ site: null }))).toBe(true);
	});
	it('sales sees promises, not stock levels; late inbound only when it breaks a commitment', () => {
		const sales = { ...defaultPrefs('sales'), minSeverity: 'low' as const };
		expect(concerns(sales, alert({ kind: 'commitment_short', severity: 'critical' }))).toBe(true);
		expect(concerns(sales, alert({ kind: 'stockout_projected' }))).toBe(false);
		expect(concerns(sales, alert({ kind: 'late_inbound', commitmentId: null }))).toBe(false);
		expect(concerns(sales, alert({ kind: 'late_inbound', commitmentId: 'C1' }))).toBe(true);
	});
	it('nothing when disabled (viewers start disabled)', () => {
		expect(concerns(defaultPrefs('viewer'), alert({ severity: 'critical' }))).toBe(false);
	});
});

describe('toastAction', () => {
	it('pops new and escalated open alerts, refreshes other changes, dismisses closed ones', () => {
		expect(toastAction(alert({ change: 'opened' }))).toBe('show');
		expect(toastAction(alert({ change: 'escalated' }))).toBe('show');
		expect(toastAction(alert({ change: 'updated' }))).toBe('refresh');
		expect(toastAction(alert({ change: 'acknowledged', status: 'acknowledged' }))).toBe('dismiss');
		expect(toastAction(alert({ change: 'resolved', status: 'resolved' }))).toBe('dismiss');
		expect(toastAction(alert({ change: undefined }))).toBe('show');
	});
});

describe('replay summaries', () => {
	it('counts and names the worst', () => {
		expect(summarise([])).toBeNull();
		const s = summarise([alert({ severity: 'low' }), alert({ severity: 'critical' }), alert({ severity: 'critical' })]);
		expect(s).toEqual({ count: 3, worst: 'critical', text: '3 alerts while you were away (2 critical)' });
		expect(summarise([alert({ severity: 'medium' })])!.text).toBe('1 alert while you were away');
	});
	it('keeps only alerts still open whose last message came after a pop', () => {
		const msgs = [
			alert({ id: 'x', change: 'opened' }),
			alert({ id: 'y', change: 'opened' }),
			alert({ id: 'y', change: 'acknowledged', status: 'acknowledged' }),
			alert({ id: 'z', change: 'updated' }),
			alert({ id: 'x', change: 'updated', message: 'later' })
		];
		expect(pendingAfterReplay(msgs, defaultPrefs('ops')).map((m) => [m.id, m.message])).toEqual([['x', 'later']]);
	});
});
