import type { DeliveryStatus, Webhook, WebhookAttempt, WebhookDelivery, WebhookFormat } from '../../src/lib/contract/integrations.ts';
import type { Severity } from '../../src/lib/contract/domain.ts';
import type { Sql, TxSql } from '../db/database.ts';

export interface WebhookRow extends Webhook {
	secret: string;
}

/** What a delivery job needs: the stored body and where and how to send it. */
export interface DeliveryJobRow {
	id: string;
	status: DeliveryStatus;
	attempts: number;
	body: string;
	webhookId: string;
	url: string;
	secret: string;
	pausedAt: Date | null;
}

export interface NewDelivery {
	id: string;
	webhookId: string;
	seq: number;
	alertId: string | null;
	change: string | null;
	body: string;
	/** `held` for a paused hook: kept for when an admin resumes it. */
	status: 'pending' | 'held';
}

const HOOK_COLUMNS = `id, url, format, min_severity, kinds, sites, secret, created_by,
	to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, consecutive_failures,
	to_char(paused_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as paused_at, paused_reason`;

export class WebhooksRepository {
	constructor(private readonly sql: Sql) {}

	async create(h: { url: string; format: WebhookFormat; minSeverity: Severity; kinds: string[] | null; sites: string[] | null; secret: string; createdBy: string }): Promise<WebhookRow> {
		const [row] = await this.sql.unsafe<WebhookRow[]>(
			`insert into webhooks (url, format, min_severity, kinds, sites, secret, created_by)
			values ($1, $2, $3, $4, $5, $6, $7) returning ${HOOK_COLUMNS}`,
			[h.url, h.format, h.minSeverity, h.kinds as never, h.sites as never, h.secret, h.createdBy]
		);
		return row;
	}

	/** Every hook, paused ones included; `tx` when the dispatcher reads them inside its transaction. */
	async list(tx: Sql | TxSql = this.sql): Promise<WebhookRow[]> {
		return tx.unsafe<WebhookRow[]>(`select ${HOOK_COLUMNS} from webhooks order by created_at, id`);
	}

	async get(id: string): Promise<WebhookRow | null> {
		const [row] = await this.sql.unsafe<WebhookRow[]>(`select ${HOOK_COLUMNS} from webhooks where id = $1`, [id]);
		return row ?? null;
	}

	async delete(id: string): Promise<{ url: string } | null> {
		const [row] = await this.sql<{ url: string }[]>`delete from webhooks where id = ${id} returning url`;
		return row ?? null;
	}

	/** The newest deliveries of a hook, each with its attempts in order. */
	async deliveries(webhookId: string, limit: number): Promise<WebhookDelivery[]> {
		const rows = await this.sql<(Omit<WebhookDelivery, 'attempts' | 'createdAt' | 'deliveredAt'> & { createdAt: Date; deliveredAt: Date | null; log: WebhookAttempt[] })[]>`
			select d.id, d.seq, d.alert_id, d.change, d.status, d.created_at, d.delivered_at,
				coalesce((
					select json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'ok', a.ok, 'statusCode', a.status_code,
						'durationMs', a.duration_ms, 'error', a.error) order by a.id)
					from webhook_attempts a where a.delivery_id = d.id
				), '[]'::json) as log
			from webhook_deliveries d
			where d.webhook_id = ${webhookId}
			order by d.created_at desc, d.seq desc
			limit ${limit}
		`;
		return rows.map(({ log, ...d }) => ({ ...d, createdAt: d.createdAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null, attempts: log }));
	}

	// The dispatcher -----------------------------------------------------------------------------

	/** Locks the dispatcher's cursor for this transaction: one dispatcher at a time, cluster-wide. */
	async lockCursor(tx: TxSql): Promise<number> {
		const [row] = await tx<{ seq: number }[]>`select seq from webhook_cursor for update`;
		return row.seq;
	}

	async setCursor(tx: TxSql, seq: number): Promise<void> {
		await tx`update webhook_cursor set seq = ${seq}`;
	}

	/** Inserts deliveries not recorded yet (by hook and seq); answers the pending ones it inserted, to enqueue. */
	async insertDeliveries(tx: TxSql, rows: NewDelivery[]): Promise<string[]> {
		if (rows.length === 0) return [];
		const inserted = await tx<{ id: string; status: string }[]>`
			insert into webhook_deliveries (id, webhook_id, seq, alert_id, change, body, status)
			select id, webhook_id, seq, alert_id, change, body, status
			from json_to_recordset(${tx.json(rows.map((r) => ({ id: r.id, webhook_id: r.webhookId, seq: r.seq, alert_id: r.alertId, change: r.change, body: r.body, status: r.status })) as never)}::json)
				as x(id uuid, webhook_id uuid, seq bigint, alert_id uuid, change text, body text, status text)
			on conflict (webhook_id, seq) do nothing
			returning id, status
		`;
		return inserted.filter((r) => r.status === 'pending').map((r) => r.id);
	}

	/** Pending deliveries older than `seconds`: their job may be lost with Redis (re-adding an existing job id is a no-op). */
	async stalePending(seconds: number, limit: number): Promise<string[]> {
		const rows = await this.sql<{ id: string }[]>`
			select d.id from webhook_deliveries d join webhooks w on w.id = d.webhook_id
			where d.status = 'pending' and d.created_at < now() - ${seconds}::float8 * interval '1 second' and w.paused_at is null
			order by d.created_at limit ${limit}
		`;
		return rows.map((r) => r.id);
	}

	// The delivery worker ------------------------------------------------------------------------

	async forJob(deliveryId: string): Promise<DeliveryJobRow | null> {
		const [row] = await this.sql<DeliveryJobRow[]>`
			select d.id, d.status, d.attempts, d.body, w.id as webhook_id, w.url, w.secret, w.paused_at
			from webhook_deliveries d join webhooks w on w.id = d.webhook_id
			where d.id = ${deliveryId}
		`;
		return row ?? null;
	}

	/** Logs one attempt and moves the delivery and its hook's failure streak in one transaction. */
	async recordAttempt(
		d: { deliveryId: string; webhookId: string },
		a: { ok: boolean; statusCode: number | null; durationMs: number; error: string | null },
		status: DeliveryStatus
	): Promise<{ consecutiveFailures: number }> {
		return this.sql.begin(async (tx) => {
			const [{ attempts }] = await tx<{ attempts: number }[]>`
				update webhook_deliveries set attempts = attempts + 1, status = ${status},
					delivered_at = case when ${a.ok} then now() else delivered_at end
				where id = ${d.deliveryId} returning attempts
			`;
			await tx`
				insert into webhook_attempts (delivery_id, attempt, ok, status_code, duration_ms, error)
				values (${d.deliveryId}, ${attempts}, ${a.ok}, ${a.statusCode}, ${a.durationMs}, ${a.error})
			`;
			const [hook] = await tx<{ consecutiveFailures: number }[]>`
				update webhooks set consecutive_failures = case when ${a.ok} then 0 else consecutive_failures + 1 end
				where id = ${d.webhookId} returning consecutive_failures
			`;
			return { consecutiveFailures: hook?.consecutiveFailures ?? 0 };
		});
	}

	async setStatus(deliveryId: string, status: DeliveryStatus): Promise<void> {
		await this.sql`update webhook_deliveries set status = ${status} where id = ${deliveryId}`;
	}

	/** Pauses the hook (once: the first reason stays) and holds its pending deliveries for a resume. */
	async pause(webhookId: string, reason: string): Promise<boolean> {
		return this.sql.begin(async (tx) => {
			const rows = await tx`update webhooks set paused_at = now(), paused_reason = ${reason} where id = ${webhookId} and paused_at is null returning id`;
			await tx`update webhook_deliveries set status = 'held' where webhook_id = ${webhookId} and status = 'pending'`;
			return rows.length > 0;
		});
	}

	/** Clears the pause and the failure streak; answers the held deliveries, now pending again. */
	async resume(webhookId: string): Promise<string[] | null> {
		return this.sql.begin(async (tx) => {
			const rows = await tx`update webhooks set paused_at = null, paused_reason = null, consecutive_failures = 0 where id = ${webhookId} returning id`;
			if (rows.length === 0) return null;
			const held = await tx<{ id: string }[]>`
				update webhook_deliveries set status = 'pending' where webhook_id = ${webhookId} and status = 'held' returning id
			`;
			return held.map((r) => r.id);
		});
	}
}
