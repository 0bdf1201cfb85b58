import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { headline, hookMatches, renderBody, signBody, type AlertChangePayload } from './webhook.format.ts';

const alert: AlertChangePayload = {
	id: '0b7e5b0e-0000-4000-8000-000000000001', kind: 'commitment_short', severity: 'critical', sku: 'K<1>', site: 'S',
	commitmentId: 'C1', message: 'C1 is short by 40 & late', status: 'open', openedAt: '2026-12-03T10:00:00.000Z',
	acknowledgedBy: null, acknowledgedAt: null, resolvedAt: null, change: 'opened'
};
const r = { deliveryId: 'd-1', seq: 42, alert, sentAt: '2026-12-03T10:00:01.000Z' };

describe('hookMatches', () => {
	it('takes alerts at least as severe as the minimum', () => {
		expect(hookMatches({ minSeverity: 'high', kinds: null, sites: null }, alert)).toBe(true);
		expect(hookMatches({ minSeverity: 'critical', kinds: null, sites: null }, { ...alert, severity: 'high' })).toBe(false);
		expect(hookMatches({ minSeverity: 'low', kinds: null, sites: null }, { ...alert, severity: 'low' })).toBe(true);
	});
	it('narrows by kinds and sites only when they are given', () => {
		expect(hookMatches({ minSeverity: 'low', kinds: ['late_inbound'], sites: null }, alert)).toBe(false);
		expect(hookMatches({ minSeverity: 'low', kinds: [], sites: [] }, alert)).toBe(true);
		expect(hookMatches({ minSeverity: 'low', kinds: null, sites: ['T'] }, alert)).toBe(false);
		expect(hookMatches({ minSeverity: 'low', kinds: null, sites: ['S'] }, alert)).toBe(true);
		expect(hookMatches({ minSeverity: 'low', kinds: null, sites: ['S'] }, { ...alert, site: null })).toBe(false);
	});
});

describe('renderBody', () => {
	it('json carries the delivery id, the event and the whole alert', () => {
		expect(JSON.parse(renderBody('json', r))).toEqual({ deliveryId: 'd-1', event: 'alert.opened', seq: 42, sentAt: r.sentAt, alert });
	});
	it('slack has fallback text and blocks, with mrkdwn control characters escaped', () => {
		const body = JSON.parse(renderBody('slack', r));
		expect(body.text).toContain('CRITICAL Commitment short — Commitment C1 · K&lt;1&gt; at S (opened)');
		expect(body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
		expect(body.blocks[0].text.text).toContain('short by 40 &amp; late');
		expect(body.blocks[1].elements[0].text).toContain('delivery d-1');
	});
	it('teams is a message with one Adaptive Card attachment', () => {
		const body = JSON.parse(renderBody('teams', r));
		expect(body.type).toBe('message');
		expect(body.attachments).toHaveLength(1);
		expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
		expect(body.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
		expect(body.attachments[0].content.body[0]).toMatchObject({ text: headline(alert), color: 'Attention' });
	});
});

describe('signBody', () => {
	it('is sha256= and the hex HMAC of the exact body', () => {
		const body = renderBody('json', r);
		expect(signBody(body, 'a-secret-of-16-chars')).toBe(`sha256=${createHmac('sha256', 'a-secret-of-16-chars').update(body).digest('hex')}`);
		expect(signBody(body + ' ', 'a-secret-of-16-chars')).not.toBe(signBody(body, 'a-secret-of-16-chars'));
	});
});
