import type { InventoryEvent } from '../../src/lib/contract/inventory-event.ts';
import type { Sql } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services/services.ts';
import { DEMO_CUSTOMERS, DEMO_SITES, DEMO_USERS, demoSkus, isoDay, rng } from './demo-data.ts';
import { seedKpiHistory, seedSignals } from './demo-insights.ts';

const DEMO_PASSWORD = 'demo';

/** On an empty database: the demo users, catalogue, stock, open POs and commitments (CONTRACT: DEMO=1). */
export async function seedDemo(services: Services, sql: Sql, log: Logger): Promise<boolean> {
	if (await services.auth.hasUsers()) return false;
	log.info('seeding the demo data set');
	const r = rng(7);
	const skus = demoSkus(200);
	const passwordHash = await services.auth.hashPassword(DEMO_PASSWORD);
	for (const u of DEMO_USERS) await services.auth.upsertUser({ ...u, passwordHash });

	await sql.begin(async (tx) => {
		for (const s of DEMO_SITES) {
			await tx`insert into sites (code, name, time_zone) values (${s.code}, ${s.name}, ${s.timeZone}) on conflict do nothing`;
		}
		await tx`
			insert into skus (code, name, unit, lifecycle, lead_time_days)
			select * from json_to_recordset(${tx.json(
				skus.map((k) => ({ code: k.code, name: k.name, unit: k.unit, lifecycle: k.lifecycle, lead_time_days: k.leadTimeDays }))
			)}::json) as x(code text, name text, unit text, lifecycle text, lead_time_days integer)
			on conflict do nothing
		`;
		const params = skus.flatMap((k) =>
			DEMO_SITES.map((s) => {
				const safety = r.int(2, 12) * 5;
				return { sku: k.code, site: s.code, safety_stock: safety, reorder_point: safety * 2 };
			})
		);
		await tx`
			insert into sku_sites (sku, site, safety_stock, reorder_point)
			select * from json_to_recordset(${tx.json(params)}::json) as x(sku text, site text, safety_stock integer, reorder_point integer)
			on conflict do nothing
		`;
	});

	const yesterday = new Date(Date.now() - 86_400_000).toISOString();
	const events: InventoryEvent[] = [];
	for (const k of skus) {
		for (const s of DEMO_SITES) {
			events.push({ id: `demo-count-${k.code}-${s.code}`, type: 'count', sku: k.code, site: s.code, qty: r.int(0, 400), at: yesterday });
			if (r.next() < 0.4) {
				events.push({
					id: `demo-po-${k.code}-${s.code}`,
					type: 'po',
					sku: k.code,
					site: s.code,
					qty: r.int(5, 40) * 10,
					po: `PO-${r.int(40000, 49999)}-${k.code}-${s.code}`,
					eta: isoDay(r.int(-2, k.leadTimeDays)),
					at: yesterday
				});
			}
		}
	}
	await services.ingest.store(events);

	const commitments = Array.from({ length: 100 }, (_, i) => {
		const k = r.pick(skus);
		const confirmed = r.next() < 0.6;
		const requested = isoDay(r.int(1, 30));
		return {
			id: `demo-c-${String(i + 1).padStart(3, '0')}`,
			customer: r.pick(DEMO_CUSTOMERS),
			sku: k.code,
			qty: r.int(1, 30) * 5,
			requested_date: requested,
			promised_date: confirmed ? isoDay(r.int(1, 35)) : null,
			site: confirmed ? r.pick(DEMO_SITES).code : null,
			status: confirmed ? 'confirmed' : 'requested',
			owner: r.pick(['sales@demo.local', 'ops@demo.local']),
			priority: r.int(0, 3)
		};
	});
	await sql`
		insert into commitments (id, customer, sku, qty, requested_date, promised_date, site, status, owner, priority)
		select * from json_to_recordset(${sql.json(commitments)}::json) as x(
			id text, customer text, sku text, qty integer, requested_date date, promised_date date,
			site text, status text, owner text, priority integer)
		on conflict do nothing
	`;
	// Seeded before the workers start, so their first recompute counts the signals too.
	await seedSignals(sql);
	await seedKpiHistory(services);
	log.info({ skus: skus.length, sites: DEMO_SITES.length, events: events.length, commitments: commitments.length }, 'demo data ready');
	return true;
}
