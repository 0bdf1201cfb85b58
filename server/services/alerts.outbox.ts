import type { AlertRow, AlertsRepository } from '../repositories/alerts.repository.ts';
import { toAlertPayload } from '../repositories/alerts.repository.ts';
import type { OutboxEntry } from '../repositories/outbox.repository.ts';
import type { TxSql } from '../db/database.ts';

export type AlertPlan = Parameters<AlertsRepository['applyMany']>[1];

/** The outbox entry announcing one alert change (opened, updated, escalated, resolved). */
export function alertEntry(row: AlertRow): OutboxEntry {
	return { topic: 'alert', site: row.site, payload: toAlertPayload(row) };
}

/**
 * Applies a reconciliation of alerts in one batch (the engine's and the lifecycle's alike) and
 * returns the outbox entries for its changes; the caller appends them in the same transaction.
 */
export async function applyAlertPlan(tx: TxSql, alerts: Pick<AlertsRepository, 'applyMany'>, plan: AlertPlan): Promise<OutboxEntry[]> {
	return (await alerts.applyMany(tx, plan)).map(alertEntry);
}
