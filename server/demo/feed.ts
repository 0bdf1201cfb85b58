import type { InventoryEvent } from '../../src/lib/contract/inventory-event.ts';
import type { Logger } from '../logger.ts';
import type { RunningNode } from '../node.ts';
import { DEMO_SITES, demoSkus, isoDay, rng } from './demo-data.ts';

export interface FeedOptions {
	/** Events per second on average. */
	rate?: number;
	intervalMs?: number;
}

/**
 * A simulated ERP/WMS: posts realistic events through the public HTTP API with an ingest token it
 * creates for itself, so the demo exercises the same path a real feed does.
 */
export async function startFeed(node: RunningNode, log: Logger, opts: FeedOptions = {}) {
	const { token, id } = await node.services.auth.createToken(`demo feed ${new Date().toISOString()}`, 'ingest', null);
	const r = rng(Date.now() & 0xffff);
	const skus = demoSkus(200).map((s) => s.code);
	const intervalMs = opts.intervalMs ?? 1000;
	const perTick = Math.max(1, Math.round(((opts.rate ?? 8) * intervalMs) / 1000));
	let n = 0;
	const nextEvent = (): InventoryEvent => {
		const sku = r.pick(skus);
		const site = r.pick(DEMO_SITES).code;
		const at = new Date().toISOString();
		const id = `feed-${Date.now().toString(36)}-${(n++).toString(36)}`;
		const roll = r.next();
		if (roll < 0.45) return { id, type: 'shipment', sku, site, qty: r.int(1, 12), at };
		if (roll < 0.75) return { id, type: 'receipt', sku, site, qty: r.int(5, 60), at };
		if (roll < 0.85) return { id, type: 'adjustment', sku, site, qty: r.pick([-3, -2, -1, 1, 2]), at };
		if (roll < 0.93) {
			const toSite = r.pick(DEMO_SITES.filter((s) => s.code !== site)).code;
			return { id, type: 'transfer', sku, site, toSite, qty: r.int(2, 20), eta: isoDay(r.int(2, 6)), at };
		}
		return { id, type: 'po', sku, site, qty: r.int(5, 40) * 10, po: `PO-FEED-${sku}-${site}`, eta: isoDay(r.int(3, 30)), at };
	};
	let inFlight = false;
	const timer = setInterval(async () => {
		if (inFlight) return;
		inFlight = true;
		try {
			const events = Array.from({ length: perTick }, nextEvent);
			const res = await fetch(`${node.url}/api/events`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
				body: JSON.stringify(events)
			});
			if (res.status !== 202) log.warn({ status: res.status, body: await res.text() }, 'feed batch refused');
		} catch (err) {
			log.warn({ err }, 'feed post failed');
		} finally {
			inFlight = false;
		}
	}, intervalMs);
	log.info({ eventsPerSecond: (perTick * 1000) / intervalMs }, 'simulated inventory feed running');
	return {
		stop() {
			clearInterval(timer);
			void node.services.auth.revokeToken(id, null).catch(() => {});
		}
	};
}
