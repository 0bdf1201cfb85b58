import { createHmac } from 'node:crypto';
import { SEVERITIES, type Severity } from '../../src/lib/contract/domain.ts';
import type { WebhookFormat, WebhookJsonBody } from '../../src/lib/contract/integrations.ts';
import type { AlertMessage } from '../../src/lib/contract/socket-events.ts';

/** Pure: which hooks an alert change goes to, and the exact bytes each format POSTs. */

export type AlertChangePayload = Omit<AlertMessage, 'seq'>;

export interface HookFilter {
	minSeverity: Severity;
	kinds: readonly string[] | null;
	sites: readonly string[] | null;
}

/** At least as severe as asked; kinds and sites narrow only when given (an alert about no site then never matches). */
export function hookMatches(hook: HookFilter, alert: Pick<AlertChangePayload, 'severity' | 'kind' | 'site'>): boolean {
	if (SEVERITIES.indexOf(alert.severity) > SEVERITIES.indexOf(hook.minSeverity)) return false;
	if (hook.kinds?.length && !hook.kinds.includes(alert.kind)) return false;
	if (hook.sites?.length && (alert.site === null || !hook.sites.includes(alert.site))) return false;
	return true;
}

/** `X-Promiseboard-Signature`: receivers recompute it over the raw body with the shared secret. */
export function signBody(body: string, secret: string): string {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const ICONS: Record<Severity, string> = { critical: '🔴', high: '🟠', medium: '🟡', low: '🔵' };
// Adaptive Card colour names; Teams shows them with its own theme-aware palette.
const TEAMS_COLOURS: Record<Severity, string> = { critical: 'Attention', high: 'Warning', medium: 'Warning', low: 'Accent' };

function words(kind: string): string {
	return kind.charAt(0).toUpperCase() + kind.slice(1).replaceAll('_', ' ');
}

/** "Commitment C2 · K at S" or "K at S". */
function subject(a: AlertChangePayload): string {
	const pair = [a.sku, a.site].filter(Boolean).join(' at ');
	return a.commitmentId ? `Commitment ${a.commitmentId}${pair ? ` · ${pair}` : ''}` : pair || words(a.kind);
}

/** One line: severity word (never colour alone), kind, subject, what changed. */
export function headline(a: AlertChangePayload): string {
	const change = a.change ?? a.status;
	return `${a.severity.toUpperCase()} ${words(a.kind)} — ${subject(a)} (${change})`;
}

// Slack mrkdwn treats these three as control characters.
const slackEscape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export interface Rendered {
	deliveryId: string;
	seq: number;
	alert: AlertChangePayload;
	sentAt: string;
}

export function renderBody(format: WebhookFormat, r: Rendered): string {
	const a = r.alert;
	const change = a.change ?? a.status;
	switch (format) {
		case 'json': {
			const body: WebhookJsonBody = { deliveryId: r.deliveryId, event: `alert.${change}`, seq: r.seq, sentAt: r.sentAt, alert: { ...a } };
			return JSON.stringify(body);
		}
		case 'slack':
			// Slack incoming webhooks: `text` is the notification fallback, `blocks` the message.
			return JSON.stringify({
				text: `${ICONS[a.severity]} ${slackEscape(headline(a))}`,
				blocks: [
					{ type: 'section', text: { type: 'mrkdwn', text: `${ICONS[a.severity]} *${slackEscape(headline(a))}*\n${slackEscape(a.message)}` } },
					{
						type: 'context',
						elements: [{ type: 'mrkdwn', text: `Promiseboard · alert ${a.id} · opened ${a.openedAt}${a.acknowledgedBy ? ` · acknowledged by ${slackEscape(a.acknowledgedBy)}` : ''} · delivery ${r.deliveryId}` }]
					}
				]
			});
		case 'teams':
			// Teams incoming webhooks (Workflows / connectors) take a message with an Adaptive Card attachment.
			return JSON.stringify({
				type: 'message',
				attachments: [
					{
						contentType: 'application/vnd.microsoft.card.adaptive',
						contentUrl: null,
						content: {
							$schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
							type: 'AdaptiveCard',
							version: '1.4',
							body: [
								{ type: 'TextBlock', text: headline(a), weight: 'Bolder', size: 'Medium', color: TEAMS_COLOURS[a.severity], wrap: true },
								{ type: 'TextBlock', text: a.message, wrap: true },
								{
									type: 'FactSet',
									facts: [
										{ title: 'Severity', value: a.severity },
										{ title: 'Status', value: a.status },
										{ title: 'Opened', value: a.openedAt },
										{ title: 'Alert', value: a.id },
										{ title: 'Delivery', value: r.deliveryId }
									]
								}
							]
						}
					}
				]
			});
	}
}
