// Alert webhooks (issue 14): bodies and answers of /api/admin/webhooks, shared by the admin page and
// the server. No I/O here.
import { z } from 'zod';
import { ALERT_KINDS, SEVERITIES, type AlertKind, type Severity } from './domain.ts';

export const WEBHOOK_FORMATS = ['json', 'slack', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

const code = z.string().trim().min(1).max(64);

export const createWebhookSchema = z
	.object({
		url: z
			.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
			.max(2000),
		format: z.enum(WEBHOOK_FORMATS),
		minSeverity: z.enum(SEVERITIES),
		/** Omitted or empty: every kind. */
		kinds: z.array(z.enum(ALERT_KINDS)).max(ALERT_KINDS.length).optional(),
		/** Omitted or empty: every site (and alerts about no site). */
		sites: z.array(code).max(500).optional(),
		/** Omitted: the server generates one and answers it once. */
		secret: z.string().min(16, 'must be at least 16 characters').max(256).optional()
	})
	.strict();
export type CreateWebhook = z.infer<typeof createWebhookSchema>;

export const deliveriesQuerySchema = z.object({
	limit: z.coerce.number().int().min(1).max(500).default(50)
});

export interface Webhook {
	id: string;
	url: string;
	format: WebhookFormat;
	minSeverity: Severity;
	kinds: AlertKind[] | null;
	sites: string[] | null;
	createdBy: string | null;
	createdAt: string;
	consecutiveFailures: number;
	/** Set when deliveries stopped after repeated failure; an admin resumes the hook. */
	pausedAt: string | null;
	pausedReason: string | null;
}

/** The 201 answer of POST /api/admin/webhooks: the signing secret is shown this once. */
export interface CreatedWebhook extends Webhook {
	secret: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'held';

export interface WebhookAttempt {
	attempt: number;
	at: string;
	ok: boolean;
	statusCode: number | null;
	durationMs: number;
	error: string | null;
}

/** One alert change for one hook, with every attempt made to deliver it (oldest attempt first). */
export interface WebhookDelivery {
	id: string;
	seq: number;
	alertId: string | null;
	change: string | null;
	status: DeliveryStatus;
	createdAt: string;
	deliveredAt: string | null;
	attempts: WebhookAttempt[];
}

/** The `json` format's body; Slack and Teams get their own message shapes. */
export interface WebhookJsonBody {
	deliveryId: string;
	event: `alert.${string}`;
	seq: number;
	sentAt: string;
	alert: Record<string, unknown>;
}
