// The SKU list over 100,000 SKUs (issue 7: "answers a search in under 200 ms"), through the HTTP
// API a page uses, beside baselines from the same run: SELECT 1, a primary-key lookup, and an HTTP
// round trip that does no work (GET /healthz).
import { cpus, loadavg } from 'node:os';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';
import { startNode } from '../server/node.ts';
import { createTestServices } from '../tests/support/services.ts';
import { fmt, sample, summary } from './stats.ts';
import type { Figure } from './results.ts';

const FAMILIES = ['Hex bolt', 'Lock nut', 'Ball bearing', 'Gear motor', 'Pallet wrap', 'Ball valve', 'Control cable', 'Inductive sensor', 'Pillow block', 'Solenoid valve'];
const VARIANTS = ['zinc', 'stainless', 'heavy duty', 'IP67', 'M8', 'M10', 'DN25', '24 V', '400 W', 'black'];
const TARGET_MS = 200;

/** Searches a person types: a name fragment, a code prefix, a rare word, a filter with a search, a sort by name. */
const SEARCHES: { label: string; query: string }[] = [
	{ label: 'name fragment "bearing" (many hits)', query: 'q=bearing' },
	{ label: 'code prefix "SKU-0424"', query: 'q=SKU-0424' },
	{ label: 'rare name "bolt zinc 99"', query: 'q=bolt%20zinc%2099' },
	{ label: 'no match "zzzz"', query: 'q=zzzz' },
	{ label: 'search + lifecycle filter', query: 'q=motor&lifecycle=growth' },
	{ label: 'search + site + sort by name desc', query: 'q=sensor&site=S2&sort=name&dir=desc' },
	{ label: 'search + risk filter', query: 'q=bolt&risk=short' },
	{ label: 'no search, page 20 by code', query: 'offset=1000' }
];

export async function skusBench(opts: { skus: number; runs: number }) {
	const svc = await createTestServices('bench_skus');
	try {
		const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: svc.databaseUrl, REDIS_URL: svc.redisUrl, REDIS_PREFIX: svc.redisPrefix, LOG_LEVEL: 'silent' });
		const node = await startNode(config, createLogger('silent'), { web: true, workers: false, app: false });
		const sql = svc.sql;
		await sql`insert into sites (code, name) select 'S' || g, 'Site ' || g from generate_series(1, 3) g`;
		// Names combine a family, a variant and a number, so a fragment matches a realistic share of rows.
		await sql`
			insert into skus (code, name, lifecycle, lead_time_days)
			select 'SKU-' || lpad(g::text, 6, '0'),
				(${sql.array(FAMILIES)}::text[])[1 + g % 10] || ' ' || (${sql.array(VARIANTS)}::text[])[1 + (g / 10) % 10] || ' ' || (g % 997),
				(array['new','growth','mature','mature','decline','end_of_life'])[1 + g % 6], 3 + g % 40
			from generate_series(1, ${opts.skus}) g`;
		await sql`
			insert into positions (sku, site, on_hand, allocated, inbound, backordered, available)
			select 'SKU-' || lpad(g::text, 6, '0'), 'S' || (1 + g % 3), g % 500, g % 50, g % 200, 0, g % 450
			from generate_series(1, ${opts.skus}) g`;
		await sql`
			insert into commitments (id, customer, sku, qty, requested_date, site, status, risk)
			select 'c' || g, 'Cust', 'SKU-' || lpad((g * 37 % ${opts.skus} + 1)::text, 6, '0'), 5, current_date + 5, 'S' || (1 + g % 3), 'confirmed',
				(array['ok','ok','at_risk','short'])[1 + g % 4]
			from generate_series(1, 20000) g`;
		await sql`analyze`;

		const passwordHash = await node.services.auth.hashPassword('bench-password');
		await node.repos.users.upsert({ email: 'bench@bench.local', name: 'bench', role: 'ops', passwordHash });
		const login = await fetch(`${node.url}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: node.url },
			body: JSON.stringify({ email: 'bench@bench.local', password: 'bench-password' })
		});
		const cookie = login.headers.getSetCookie()[0].split(';')[0];
		const get = async (path: string) => {
			const res = await fetch(`${node.url}${path}`, { headers: { cookie } });
			if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
			return res.json() as Promise<unknown[]>;
		};

		const selectOne = summary(await sample(300, () => sql`select 1`));
		const pkLookup = summary(await sample(300, () => sql`select * from skus where code = ${`SKU-${String(1 + Math.floor(Math.random() * opts.skus)).padStart(6, '0')}`}`));
		const httpNoop = summary(await sample(100, () => fetch(`${node.url}/healthz`).then((r) => r.text())));
		const searches = [];
		for (const s of SEARCHES) {
			const rows = (await get(`/api/skus?${s.query}`)).length; // warms the plan cache like a second keystroke would
			searches.push({ ...s, rows, ms: summary(await sample(opts.runs, () => get(`/api/skus?${s.query}`))) });
		}
		await node.close();
		return { skus: opts.skus, selectOne, pkLookup, httpNoop, searches, loadAverage: loadavg()[0], cores: cpus().length };
	} finally {
		await svc.teardown();
	}
}

export function reportSkus(r: Awaited<ReturnType<typeof skusBench>>) {
	const worst50 = Math.max(...r.searches.map((s) => s.ms.p50));
	const worst99 = Math.max(...r.searches.map((s) => s.ms.p99));
	const verdict = (ms: number) => `${fmt(ms)} ms (${ms < TARGET_MS ? 'within' : 'OVER'} ${TARGET_MS} ms)`;
	return [
		`SKU list over ${r.skus.toLocaleString('en-US')} SKUs (GET /api/skus, 50 per page, sums and worst risk per row; target < ${TARGET_MS} ms):`,
		...r.searches.map(
			(s) => `  ${s.label.padEnd(40)} p50 ${fmt(s.ms.p50).padStart(7)} ms  p99 ${fmt(s.ms.p99).padStart(7)} ms  (${String(s.rows).padStart(2)} rows)  = ${fmt(s.ms.p50 / r.httpNoop.p50, 1)}× HTTP no-op`
		),
		`  worst p50 ${verdict(worst50)}, worst p99 ${verdict(worst99)}; load average ${fmt(r.loadAverage, 1)} on ${r.cores} cores during the run`,
		`  baseline HTTP GET /healthz    p50 ${fmt(r.httpNoop.p50, 3)} ms`,
		`  baseline primary-key lookup   p50 ${fmt(r.pkLookup.p50, 3)} ms`,
		`  baseline SELECT 1             p50 ${fmt(r.selectOne.p50, 3)} ms`
	].join('\n');
}

/** Headline: the slowest search shape (search + site + sort by name), p99, against a primary-key lookup. */
export function skusFigures(r: Awaited<ReturnType<typeof skusBench>>): Figure[] {
	const s = r.searches.find((x) => x.query.includes('site=') && x.query.includes('sort=name'))!;
	return [
		{
			section: 'skus',
			name: `SKU search + site + sort by name, ${r.skus.toLocaleString('en-US')} SKUs, p99 (p50 ${fmt(s.ms.p50)} ms)`,
			value: s.ms.p99,
			unit: 'ms',
			baseline: { name: 'primary-key lookup p50', value: r.pkLookup.p50, unit: 'ms' },
			target: '≤ 30 ms',
			met: s.ms.p99 <= 30
		}
	];
}
