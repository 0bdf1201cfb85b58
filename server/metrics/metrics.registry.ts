import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** A gauge whose values are read when Prometheus scrapes, from whatever holds them. */
export type GaugeSource<L extends string> = () => Promise<{ labels?: Partial<Record<L, string>>; value: number }[]> | { labels?: Partial<Record<L, string>>; value: number }[];

/**
 * The node's metrics, in a registry of its own (not prom-client's global one) so that several
 * nodes in one process — the tests start them so — each answer for themselves. Names follow
 * Prometheus conventions: `pb_` prefix, base units (seconds, bytes), `_total` on counters.
 */
export class Metrics {
	readonly registry = new Registry();

	readonly httpDuration = new Histogram({
		name: 'pb_http_request_duration_seconds',
		help: 'HTTP request latency by route pattern (the Express route, not the raw path), method and status',
		labelNames: ['method', 'route', 'status'] as const,
		buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
		registers: [this.registry]
	});

	readonly eventsIngested = new Counter({
		name: 'pb_events_ingested_total',
		help: 'Inventory events accepted by POST /api/events, new ones and duplicates (already seen ids)',
		labelNames: ['result'] as const,
		registers: [this.registry]
	});

	readonly recomputeSeconds = new Histogram({
		name: 'pb_recompute_job_seconds',
		help: 'Time from a recompute job starting to its SKU×site being recomputed and stored',
		buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
		registers: [this.registry]
	});

	readonly queueWaitSeconds = new Histogram({
		name: 'pb_queue_wait_seconds',
		help: 'Time a job waited in its queue before a worker started it',
		labelNames: ['queue'] as const,
		buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
		registers: [this.registry]
	});

	readonly webhookDeliveries = new Counter({
		name: 'pb_webhook_deliveries_total',
		help: 'Webhook delivery attempts by outcome: delivered, retrying, failed (gave up), refused (URL), paused (hook paused)',
		labelNames: ['outcome'] as const,
		registers: [this.registry]
	});

	readonly webhookSeconds = new Histogram({
		name: 'pb_webhook_delivery_seconds',
		help: 'Duration of webhook POSTs, answered or not',
		buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
		registers: [this.registry]
	});

	constructor() {
		collectDefaultMetrics({ register: this.registry });
		for (const outcome of ['delivered', 'retrying', 'failed', 'refused', 'paused']) this.webhookDeliveries.inc({ outcome }, 0);
		for (const result of ['accepted', 'duplicate']) this.eventsIngested.inc({ result }, 0);
	}

	/** Registers a gauge read at scrape time; a source that fails leaves the gauge empty, never the scrape. */
	gauge<L extends string>(name: string, help: string, labelNames: readonly L[], source: GaugeSource<L>): void {
		new Gauge<L>({
			name,
			help,
			labelNames,
			registers: [this.registry],
			async collect() {
				this.reset();
				try {
					for (const v of await source()) {
						if (v.labels) this.set(v.labels as Record<L, string>, v.value);
						else this.set(v.value);
					}
				} catch {
					// A dependency down: the gauge is absent for this scrape; `up` and /readyz say why.
				}
			}
		});
	}

	text(): Promise<string> {
		return this.registry.metrics();
	}

	get contentType(): string {
		return this.registry.contentType;
	}
}
