import { describe, expect, it } from 'vitest';
import {
	evaluateAlerts,
	formatQty,
	lifecycleChangeAlert,
	reconcileAlerts,
	SKU_SITE_ALERT_KINDS,
	type AlertSnapshot,
	type DesiredAlert,
	type OpenAlert
} from './alert-rules.ts';
import { confirmed, day, po, TODAY } from './testing/builders.ts';

function snap(over: Partial<AlertSnapshot> = {}): AlertSnapshot {
	return { sku: 'SKU-1', site: 'WH-A', onHand: 100, safetyStock: 0, leadTimeDays: 10, inbound: [], commitments: [], ...over };
}
const kinds = (alerts: DesiredAlert[]) => alerts.map((a) => a.kind);
const only = (alerts: DesiredAlert[], kind: DesiredAlert['kind']) => alerts.filter((a) => a.kind === kind);

describe('evaluateAlerts', () => {
	it('a healthy position raises nothing', () => {
		expect(evaluateAlerts(snap(), TODAY)).toEqual([]);
	});

	it('commitment_short is critical, per commitment', () => {
		const a = evaluateAlerts(snap({ onHand: 5, commitments: [confirmed('C1', 12, 3, { customer: 'Acme' })], inbound: [po('P1', 20, 6)] }), TODAY);
		expect(only(a, 'commitment_short')).toEqual([
			{
				kind: 'commitment_short',
				severity: 'critical',
				subjectKey: 'commitment:C1',
				sku: 'SKU-1',
				site: 'WH-A',
				commitmentId: 'C1',
				message: `Commitment C1 (Acme): SKU-1 @ WH-A short by 7 for ${day(3)}; earliest ${day(6)}`
			}
		]);
	});

	describe('stockout_projected and below_safety_stock', () => {
		it('a stockout within the lead time is high, with the first date and balance', () => {
			const a = evaluateAlerts(snap({ onHand: 0, backordered: 40, leadTimeDays: 10 }), TODAY);
			expect(only(a, 'stockout_projected')).toEqual([
				expect.objectContaining({ severity: 'high', subjectKey: 'SKU-1|WH-A', message: `SKU-1 @ WH-A: projected stockout on ${TODAY} (\u221240)` })
			]);
		});

		it('the window includes the fence day and nothing after it', () => {
			const on = (due: number) => snap({ onHand: 10, leadTimeDays: 10, commitments: [confirmed('C1', 20, due)] });
			expect(kinds(evaluateAlerts(on(10), TODAY))).toContain('stockout_projected');
			expect(kinds(evaluateAlerts(on(11), TODAY))).not.toContain('stockout_projected');
		});

		it('with no lead time the whole known horizon is watched', () => {
			const s = snap({ onHand: 10, leadTimeDays: null, commitments: [confirmed('C1', 20, 200)] });
			expect(kinds(evaluateAlerts(s, TODAY))).toContain('stockout_projected');
		});

		it('below safety stock is medium and gives way to a stockout', () => {
			const dip = snap({ onHand: 30, safetyStock: 20, commitments: [confirmed('C1', 15, 4)] });
			expect(only(evaluateAlerts(dip, TODAY), 'below_safety_stock')).toEqual([
				expect.objectContaining({ severity: 'medium', message: `SKU-1 @ WH-A: projected 15 on ${day(4)}, below safety stock 20` })
			]);
			const out = snap({ onHand: 30, safetyStock: 20, commitments: [confirmed('C1', 35, 4)] });
			expect(kinds(evaluateAlerts(out, TODAY))).not.toContain('below_safety_stock');
		});

		it('zero safety stock never raises below_safety_stock', () => {
			const s = snap({ onHand: 0, safetyStock: 0 });
			expect(kinds(evaluateAlerts(s, TODAY))).not.toContain('below_safety_stock');
		});
	});

	describe('late_inbound', () => {
		it('a line whose ETA has passed is medium; an ETA of today is not late', () => {
			const a = evaluateAlerts(snap({ inbound: [po('P1', 20, -1), po('P2', 5, 0)] }), TODAY);
			expect(only(a, 'late_inbound')).toEqual([
				expect.objectContaining({
					severity: 'medium',
					subjectKey: 'SKU-1|WH-A|inbound:P1',
					message: `SKU-1 @ WH-A: PO line P1 (20) was due ${day(-1)} and has not arrived`
				})
			]);
		});

		it('a slip past a commitment is medium, high when that commitment is now short', () => {
			const line = po('P1', 20, 8, { previousEta: day(2) });
			const covered = snap({ onHand: 30, inbound: [line], commitments: [confirmed('C1', 10, 5)] });
			expect(only(evaluateAlerts(covered, TODAY), 'late_inbound')).toEqual([
				expect.objectContaining({ severity: 'medium', commitmentId: 'C1' })
			]);
			const short = snap({ onHand: 0, inbound: [line], commitments: [confirmed('C1', 10, 5)] });
			const a = only(evaluateAlerts(short, TODAY), 'late_inbound');
			expect(a).toEqual([expect.objectContaining({ severity: 'high', commitmentId: 'C1' })]);
			expect(a[0].message).toBe(`SKU-1 @ WH-A: PO line P1 (20) slipped from ${day(2)} to ${day(8)}; past commitment C1; now short: C1`);
		});

		it('a slip makes only the later promise short: one critical alert, the line high', () => {
			const s = snap({
				onHand: 100,
				safetyStock: 10,
				inbound: [po('P1', 50, 9, { previousEta: day(5) })],
				commitments: [confirmed('C1', 80, 3), confirmed('C2', 60, 7)]
			});
			const a = evaluateAlerts(s, TODAY);
			expect(only(a, 'commitment_short').map((x) => x.commitmentId)).toEqual(['C2']);
			expect(only(a, 'commitment_short')[0].message).toBe(`Commitment C2: SKU-1 @ WH-A short by 40 for ${day(7)}; earliest ${day(9)}`);
			expect(only(a, 'late_inbound')).toEqual([
				expect.objectContaining({
					severity: 'high',
					commitmentId: 'C2',
					message: `SKU-1 @ WH-A: PO line P1 (50) slipped from ${day(5)} to ${day(9)}; past commitment C2; now short: C2`
				})
			]);
		});

		it('a slip that passes no commitment raises nothing', () => {
			const s = snap({ inbound: [po('P1', 20, 8, { previousEta: day(2) })], commitments: [confirmed('C1', 10, 9)] });
			expect(kinds(evaluateAlerts(s, TODAY))).not.toContain('late_inbound');
		});
	});

	it('below_reorder_point is low and counts every open line, dated or not', () => {
		expect(only(evaluateAlerts(snap({ onHand: 10, reorderPoint: 30, inbound: [po('P1', 10, null)] }), TODAY), 'below_reorder_point')).toEqual([
			expect.objectContaining({ severity: 'low', message: 'SKU-1 @ WH-A: on hand + inbound 20 is below reorder point 30' })
		]);
		expect(kinds(evaluateAlerts(snap({ onHand: 10, reorderPoint: 20, inbound: [po('P1', 10, null)] }), TODAY))).not.toContain(
			'below_reorder_point'
		);
		expect(kinds(evaluateAlerts(snap({ onHand: 0, reorderPoint: null }), TODAY))).not.toContain('below_reorder_point');
	});

	describe('backorder_aging', () => {
		const bo = (since: string) => snap({ onHand: 0, backordered: 3, backorderSince: since, leadTimeDays: null });

		it('fires when older than N days (default 7), not at exactly N', () => {
			expect(kinds(evaluateAlerts(bo(`${day(-7)}T10:00:00Z`), TODAY))).not.toContain('backorder_aging');
			expect(only(evaluateAlerts(bo(`${day(-8)}T10:00:00Z`), TODAY), 'backorder_aging')).toEqual([
				expect.objectContaining({ severity: 'medium', message: `SKU-1 @ WH-A: 3 backordered since ${day(-8)} (over 7 days)` })
			]);
			expect(kinds(evaluateAlerts(bo(`${day(-3)}T10:00:00Z`), TODAY, { backorderAgeDays: 2 }))).toContain('backorder_aging');
		});

		it('reads the start date in the site time zone', () => {
			const since = `${day(-7)}T02:00:00Z`; // still day -8 in New York
			expect(kinds(evaluateAlerts(bo(since), TODAY, { timeZone: 'America/New_York' }))).toContain('backorder_aging');
			expect(kinds(evaluateAlerts(bo(since), TODAY))).not.toContain('backorder_aging');
		});
	});

	it('sorts the desired alerts by kind then subject', () => {
		const a = evaluateAlerts(snap({ onHand: 0, reorderPoint: 5, inbound: [po('P1', 1, -2)], commitments: [confirmed('C1', 2, 1)] }), TODAY);
		expect(kinds(a)).toEqual(['commitment_short', 'stockout_projected', 'late_inbound', 'below_reorder_point']);
	});
});

describe('lifecycleChangeAlert', () => {
	it('is low for decline / end of life with open commitments, nothing otherwise', () => {
		expect(lifecycleChangeAlert('SKU-1', 'end_of_life', 3)).toEqual({
			kind: 'lifecycle_change',
			severity: 'low',
			subjectKey: 'sku:SKU-1',
			sku: 'SKU-1',
			site: null,
			commitmentId: null,
			message: 'SKU-1 moved to end of life with 3 open commitments'
		});
		expect(lifecycleChangeAlert('SKU-1', 'decline', 1)?.message).toBe('SKU-1 moved to decline with 1 open commitment');
		expect(lifecycleChangeAlert('SKU-1', 'decline', 0)).toBeNull();
		expect(lifecycleChangeAlert('SKU-1', 'mature', 5)).toBeNull();
	});
});

describe('reconcileAlerts', () => {
	const desired = (kind: DesiredAlert['kind'], subjectKey: string, severity: DesiredAlert['severity'] = 'high', message = 'm'): DesiredAlert => ({
		kind,
		severity,
		subjectKey,
		sku: 'SKU-1',
		site: 'WH-A',
		commitmentId: null,
		message
	});
	const open = (id: string, d: DesiredAlert): OpenAlert => ({ id, kind: d.kind, subjectKey: d.subjectKey, severity: d.severity, message: d.message });

	it('opens new, updates changed, leaves equal ones and resolves cleared ones', () => {
		const stockout = desired('stockout_projected', 'S|A');
		const aging = desired('backorder_aging', 'S|A', 'medium');
		const r = reconcileAlerts(
			[open('1', stockout), open('2', { ...aging, message: 'old' }), open('3', desired('below_reorder_point', 'S|A', 'low'))],
			[stockout, aging, desired('commitment_short', 'commitment:C1', 'critical')]
		);
		expect(r.toOpen.map((a) => a.kind)).toEqual(['commitment_short']);
		expect(r.toUpdate).toEqual([{ id: '2', severity: 'medium', message: 'm', escalated: false, desired: aging }]);
		expect(r.toResolve.map((a) => a.id)).toEqual(['3']);
	});

	it('flags an escalation', () => {
		const late = desired('late_inbound', 'S|A|inbound:P1', 'medium');
		const r = reconcileAlerts([open('1', late)], [{ ...late, severity: 'high' }]);
		expect(r.toUpdate[0]).toMatchObject({ id: '1', severity: 'high', escalated: true });
	});

	it('keeps one open alert per kind and subject', () => {
		const d = desired('stockout_projected', 'S|A');
		const r = reconcileAlerts([open('old', d), open('dup', d)], [d, { ...d, severity: 'critical' }, { ...d, severity: 'low' }]);
		expect(r.toResolve.map((a) => a.id)).toEqual(['dup']);
		expect(r.toOpen).toEqual([]);
		expect(r.toUpdate).toEqual([expect.objectContaining({ id: 'old', severity: 'critical', escalated: true })]);
	});

	it('leaves kinds outside the managed set alone', () => {
		const life = desired('lifecycle_change', 'sku:SKU-1', 'low');
		const r = reconcileAlerts([open('1', life)], [], { kinds: SKU_SITE_ALERT_KINDS });
		expect(r).toEqual({ toOpen: [], toUpdate: [], toResolve: [] });
		expect(reconcileAlerts([open('1', life)], []).toResolve.map((a) => a.id)).toEqual(['1']);
	});
});

describe('formatQty', () => {
	it('uses a real minus sign', () => {
		expect(formatQty(-40)).toBe('\u221240');
		expect(formatQty(0)).toBe('0');
	});
});
