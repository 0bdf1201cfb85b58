import { readFileSync } from 'node:fs';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/core/dates.ts';
import { api, userCookie } from '../support/api.ts';
import { postEvents, startTestNode, TEST_INGEST_TOKEN, type TestNode } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';
import { parsePrometheusText, sampleValue, type Family } from '../support/prometheus-text.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';

describe('the Prometheus text parser used here', () => {
	it('accepts a well-formed exposition and refuses what Prometheus refuses', () => {
		const ok = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="q\\"\\n\\\\"} 3\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 3.5\nh_count 2\n';
		const f = parsePrometheusText(ok);
		expect(f.get('a_total')?.samples[0]).toEqual({ name: 'a_total', labels: { x: 'q"\n\\' }, value: 3 });
		expect(sampleValue(f, 'h_count')).toBe(2);
		for (const bad of [
			'a 1', // no final line feed
			'a 1\n# TYPE a counter\n', // TYPE after samples
			'a 1\nb 1\na{x="1"} 2\n', // family not grouped
			'a{x="1} 1\n', // unterminated
			'a{x="\\t"} 1\n', // bad escape
			'a one\n',
			'a 1\na 2\n', // duplicate series
			'# TYPE c counter\nc -1\n',
			'# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', // not cumulative
			'# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n' // no +Inf bucket
		]) {
			expect(() => parsePrometheusText(bad), bad).toThrow();
		}
	});
});

describe('GET /metrics', () => {
	let node: TestNode;
	let rx: Receiver;
	let metricsToken: string;
	const today = new Date().toISOString().slice(0, 10);
	const D = (n: number) => addDays(today, n);

	beforeAll(async () => {
		rx = await startReceiver();
		node = await startTestNode('metrics', { env: { WEBHOOK_ALLOW_HOSTS: '127.0.0.1' } });
		metricsToken = (await node.services.auth.createToken('prometheus', 'metrics', null)).token;
		await node.services_.sql`insert into sites (code, name) values ('S', 'Site S')`;
		await node.services_.sql`insert into skus (code, name, lead_time_days) values ('K', 'Widget', 10)`;
	});
	afterAll(async () => {
		await node?.stop();
		await rx?.close();
	});

	const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${metricsToken}` }) => {
		const res = await fetch(`${node.url}/metrics`, { headers });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
		return parsePrometheusText(await res.text());
	};
	const v = (f: Map<string, Family>, name: string, labels: Record<string, string> = {}) => sampleValue(f, name, labels) ?? 0;

	it('needs a metrics token unless the scraper is on this machine', async () => {
		// Through a proxy (X-Forwarded-For) the caller is not local.
		expect((await fetch(`${node.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(401);
		expect((await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}`, 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
		const viewer = await userCookie(node, 'viewer@metrics.local', 'viewer');
		expect((await fetch(`${node.url}/metrics`, { headers: { cookie: viewer, 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
		await scrape({ authorization: `Bearer ${metricsToken}`, 'x-forwarded-for': '203.0.113.9' });
		await scrape({});
		// A metrics token reads nothing else.
		expect((await fetch(`${node.url}/api/alerts`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(403);
	});

	it('parses, and its counters move when events are posted, alerts go out and clients connect', async () => {
		const admin = await userCookie(node, 'admin@metrics.local', 'admin');
		const hook = await api(node, admin, 'POST', '/api/admin/webhooks', { url: `${rx.url}/hook`, format: 'json', minSeverity: 'low' });
		expect(hook.status).toBe(201);
		const before = await scrape();
		for (const name of ['pb_http_request_duration_seconds', 'pb_queue_jobs', 'pb_queue_oldest_waiting_seconds', 'pb_outbox_lag_rows', 'pb_outbox_lag_seconds', 'pb_pg_pool_max', 'pb_pg_connections', 'pb_socketio_connections', 'pb_board_connections', 'pb_boards_loaded', 'pb_recompute_job_seconds', 'pb_webhook_deliveries_total', 'process_cpu_seconds_total']) {
			expect(before.has(name), name).toBe(true);
		}
		expect(before.get('pb_http_request_duration_seconds')?.type).toBe('histogram');
		const nan = [...before.values()].flatMap((f) => f.samples).filter((s) => Number.isNaN(s.value) && s.name.startsWith('pb_'));
		expect(nan).toEqual([]);
		expect(v(before, 'pb_pg_pool_max')).toBe(20);
		expect(v(before, 'pb_queue_jobs', { queue: 'webhooks', state: 'waiting' })).toBe(0);

		const socket = connectSocket(node.url, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: (await node.services.auth.createToken('wall', 'display', null)).token } });
		await new Promise<void>((resolve, reject) => (socket.on('connect', resolve), socket.on('connect_error', reject)));
		const events = [
			{ id: 'm1', type: 'receipt', sku: 'K', site: 'S', qty: 10, at: `${D(-1)}T06:00:00Z` },
			{ id: 'm2', type: 'shipment', sku: 'K', site: 'S', qty: 40, at: `${D(-1)}T07:00:00Z` }
		];
		expect((await postEvents(node, events)).status).toBe(202);
		expect((await postEvents(node, [events[0]])).status).toBe(202);
		await waitForValue(async () => rx.received.length > 0);
		const after = await waitForValue(async () => {
			const f = await scrape();
			return v(f, 'pb_recompute_job_seconds_count') > v(before, 'pb_recompute_job_seconds_count') && v(f, 'pb_webhook_deliveries_total', { outcome: 'delivered' }) > 0 && f;
		});
		expect(v(after, 'pb_events_ingested_total', { result: 'accepted' }) - v(before, 'pb_events_ingested_total', { result: 'accepted' })).toBe(2);
		expect(v(after, 'pb_events_ingested_total', { result: 'duplicate' }) - v(before, 'pb_events_ingested_total', { result: 'duplicate' })).toBe(1);
		const posted = { route: '/api/events', method: 'POST', status: '202' };
		expect(v(after, 'pb_http_request_duration_seconds_count', posted) - v(before, 'pb_http_request_duration_seconds_count', posted)).toBe(2);
		expect(v(after, 'pb_queue_wait_seconds_count', { queue: 'recompute' })).toBeGreaterThan(0);
		expect(v(after, 'pb_webhook_delivery_seconds_count')).toBeGreaterThan(0);
		expect(v(after, 'pb_socketio_connections')).toBe(1);
		expect(v(after, 'pb_pg_connections')).toBeGreaterThan(0);
		// Route labels are patterns, never raw paths.
		await fetch(`${node.url}/api/skus/K`, { headers: { authorization: `Bearer ${metricsToken}` } });
		const routes = new Set((await scrape()).get('pb_http_request_duration_seconds')!.samples.map((s) => s.labels.route));
		expect(routes).toContain('/api/skus/:sku');
		expect(routes).not.toContain('/api/skus/K');
		socket.disconnect();

		// A board loaded by a REST write shows with its size.
		const ops = await userCookie(node, 'ops@metrics.local', 'ops');
		expect((await api(node, ops, 'POST', '/api/commitments', { id: 'C1', customer: 'Acme', sku: 'K', qty: 5, requestedDate: D(3) })).status).toBe(201);
		const boards = await scrape();
		expect(v(boards, 'pb_boards_loaded')).toBeGreaterThanOrEqual(1);
		expect(v(boards, 'pb_board_cards', { board: 'main' })).toBe(1);
		expect(v(boards, 'pb_board_document_bytes', { board: 'main' })).toBeGreaterThan(50);
		await waitForValue(async () => v(await scrape(), 'pb_outbox_lag_rows') === 0);

		// The Grafana dashboard in docs/ asks only for series this node exposes.
		const dashboard = readFileSync(new URL('../../docs/grafana-promiseboard.json', import.meta.url), 'utf8');
		const asked = new Set(dashboard.match(/pb_[a-z_]+/g));
		const exposed = new Set([...boards.values()].flatMap((f) => f.samples.map((s) => s.name)));
		expect(asked.size).toBeGreaterThan(10);
		for (const name of asked) expect(exposed.has(name), name).toBe(true);
	});
});
