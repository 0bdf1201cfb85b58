// Demo-only history and sales knowledge: KPI days before the demo started (a fresh database has no
// past, and a sparkline of one point says nothing) and a few demand signals from the sales rep.
import type { KpiPoint } from '../../src/lib/contract/signals.ts';
import type { Sql } from '../db/database.ts';
import type { Services } from '../services/services.ts';
import { ALL_SITES } from '../services/kpi.service.ts';
import { DEMO_SITES, demoSkus, isoDay, rng } from './demo-data.ts';

const DAYS = 29;

/** 29 past days per site and for all sites, drifting plausibly; marked synthetic by being demo data. */
export async function seedKpiHistory(services: Services): Promise<void> {
	const r = rng(11);
	const scopes = [ALL_SITES, ...DEMO_SITES.map((s) => s.code)];
	for (const scope of scopes) {
		const scale = scope === ALL_SITES ? 3 : 1;
		let fill = 0.86 + r.next() * 0.06;
		let otif = 0.82 + r.next() * 0.08;
		for (let d = DAYS; d >= 1; d--) {
			fill = Math.min(0.99, Math.max(0.7, fill + (r.next() - 0.45) * 0.03));
			otif = Math.min(0.99, Math.max(0.65, otif + (r.next() - 0.45) * 0.04));
			const p: KpiPoint = {
				day: isoDay(-d),
				fillRate: Math.round(fill * 1000) / 1000,
				otif: Math.round(otif * 1000) / 1000,
				shipped: r.int(4, 12) * scale,
				atRisk: r.int(3, 9) * scale,
				short: r.int(0, 4) * scale,
				stockouts: r.int(2, 8) * scale,
				lateInbound: r.int(1, 6) * scale,
				backorderAgeDays: r.int(0, 12)
			};
			await services.kpi.recordDay(scope, p);
		}
	}
}

/** What the demo sales rep knows ahead of the numbers. Written as rows: the engine picks them up with the first recompute. */
export async function seedSignals(sql: Sql): Promise<void> {
	const skus = demoSkus(200);
	const rows = [
		{ sku: skus[0].code, site: 'EAST', kind: 'volume', customer: 'Acme Industrial', qty: 400, per: 'month', start: 3, end: null, note: 'new framework contract, first call-off next week' },
		{ sku: skus[9].code, site: 'WEST', kind: 'promotion', customer: 'Juniper Retail', qty: 600, per: 'total', start: 5, end: 19, note: 'spring promotion in 40 stores' },
		{ sku: skus[17].code, site: 'EU', kind: 'fading', customer: 'Fjord Energy', qty: null, per: null, start: 0, end: null, note: 'moving to the stainless variant' }
	];
	for (const s of rows) {
		await sql`
			insert into demand_signals (sku, site, kind, customer, qty, per, start_date, end_date, note, created_by)
			values (${s.sku}, ${s.site}, ${s.kind}, ${s.customer}, ${s.qty}, ${s.per}, ${isoDay(s.start)}, ${s.end === null ? null : isoDay(s.end)},
				${s.note}, 'sales@demo.local')
		`;
	}
}
