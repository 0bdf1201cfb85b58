import { describe, expect, it } from 'vitest';
import type { Severity } from '../../src/lib/contract/domain.ts';
import type { OutboxRow } from '../repositories/outbox.repository.ts';
import type { WebhookRow } from '../repositories/webhooks.repository.ts';
import { deliveriesFor } from './webhook.dispatcher.ts';

const hook = (over: Partial<WebhookRow>): WebhookRow => ({
	id: 'h', url: 'https://x.example/', format: 'json', minSeverity: 'high', kinds: null, sites: null, secret: 's'.repeat(16),
	createdBy: null, createdAt: '', consecutiveFailures: 0, pausedAt: null, pausedReason: null, ...over
});
const alertRow = (seq: number, severity: Severity, site: string | null): OutboxRow => ({
	seq, topic: 'alert', site,
	payload: { id: `a${seq}`, kind: 'stockout_projected', severity, sku: 'K', site, commitmentId: null, message: 'm', status: 'open', openedAt: '', acknowledgedBy: null, acknowledgedAt: null, resolvedAt: null, change: 'opened' }
});

describe('deliveriesFor', () => {
	it('makes one delivery per alert row and matching hook, skipping other topics', () => {
		const rows = [alertRow(1, 'critical', 'S'), { seq: 2, topic: 'position', site: 'S', payload: {} } as OutboxRow, alertRow(3, 'low', 'S'), alertRow(4, 'high', 'T')];
		const out = deliveriesFor(rows, [hook({ id: 'all' }), hook({ id: 'onlyS', sites: ['S'] })], () => 'now');
		expect(out.map((d) => [d.webhookId, d.seq])).toEqual([['all', 1], ['onlyS', 1], ['all', 4]]);
		expect(new Set(out.map((d) => d.id)).size).toBe(3);
		const body = JSON.parse(out[0].body);
		expect(body).toMatchObject({ deliveryId: out[0].id, seq: 1, event: 'alert.opened', sentAt: 'now', alert: { id: 'a1' } });
		expect(out[0]).toMatchObject({ alertId: 'a1', change: 'opened', status: 'pending' });
	});
	it('holds deliveries for a paused hook instead of dropping them', () => {
		expect(deliveriesFor([alertRow(1, 'critical', 'S')], [hook({ pausedAt: new Date().toISOString() })])[0].status).toBe('held');
	});
});
