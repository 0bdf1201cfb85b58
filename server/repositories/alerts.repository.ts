import type { AlertMessage } from '../../src/lib/contract/socket-events.ts';
import type { AlertListQuery } from '../../src/lib/contract/notifications.ts';
import type { DesiredAlert } from '../../src/lib/core/alert-types.ts';
import type { Sql, TxSql } from '../db/database.ts';
import { groupByPair } from './pair-key.ts';

export type AlertRow = Omit<AlertMessage, 'seq'> & { subjectKey: string };

const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${col}`;
const COLUMNS = `id, kind, severity, subject_key, sku, site, commitment_id, message, status,
	${iso('opened_at')}, acknowledged_by, ${iso('acknowledged_at')}, ${iso('resolved_at')}`;
// Writes say what they did, so clients can toast new and escalated alerts without keeping history.
const CHANGED = (change: string) => `${COLUMNS}, '${change}' as change`;

export class AlertsRepository {
	constructor(private readonly sql: Sql) {}

	/** Live (open or acknowledged) alerts about several SKU×site pairs, oldest first, in one round trip, keyed `sku\0site`. */
	async liveForPairs(tx: TxSql, keys: { sku: string; site: string }[]): Promise<Map<string, AlertRow[]>> {
		const rows = await tx.unsafe<AlertRow[]>(
			`select ${COLUMNS} from alerts
			where status <> 'resolved' and (sku, site) in (select * from unnest($1::text[], $2::text[]))
			order by opened_at, id`,
			[keys.map((k) => k.sku), keys.map((k) => k.site)] as never
		);
		return groupByPair(rows, (r) => ({ sku: r.sku ?? '', site: r.site }));
	}

	/** Live alerts of one kind about one subject (e.g. a SKU's lifecycle_change, which has no site). */
	async liveForSubject(tx: TxSql, kind: string, subjectKey: string): Promise<AlertRow[]> {
		return tx.unsafe<AlertRow[]>(
			`select ${COLUMNS} from alerts where kind = $1 and subject_key = $2 and status <> 'resolved' order by opened_at, id`,
			[kind, subjectKey]
		);
	}

	/**
	 * Applies a whole reconciliation (many pairs' worth) in three statements; the rows come back for
	 * the outbox. One statement per alert made a busy batch spend most of its time here.
	 */
	async applyMany(
		tx: TxSql,
		plan: { toOpen: DesiredAlert[]; toUpdate: { id: string; severity: string; message: string; escalated: boolean }[]; toResolve: string[] }
	): Promise<AlertRow[]> {
		const out: AlertRow[] = [];
		if (plan.toOpen.length) {
			out.push(
				...(await tx.unsafe<AlertRow[]>(
					`insert into alerts (kind, severity, subject_key, sku, site, commitment_id, message)
					select kind, severity, subject_key, sku, site, commitment_id, message
					from json_to_recordset($1::json) as x(kind text, severity text, subject_key text, sku text, site text, commitment_id text, message text)
					returning ${CHANGED('opened')}`,
					[tx.json(plan.toOpen.map((a) => ({ kind: a.kind, severity: a.severity, subject_key: a.subjectKey, sku: a.sku, site: a.site, commitment_id: a.commitmentId, message: a.message })))] as never
				))
			);
		}
		if (plan.toUpdate.length) {
			out.push(
				...(await tx.unsafe<AlertRow[]>(
					// x's columns are prefixed so COLUMNS stays unambiguous in RETURNING.
					`update alerts set severity = x.x_severity, message = x.x_message,
						status = case when x.x_escalated then 'open' else status end,
						acknowledged_by = case when x.x_escalated then null else acknowledged_by end,
						acknowledged_at = case when x.x_escalated then null else acknowledged_at end
					from json_to_recordset($1::json) as x(x_id uuid, x_severity text, x_message text, x_escalated boolean)
					where id = x.x_id
					returning ${COLUMNS}, case when x.x_escalated then 'escalated' else 'updated' end as change`,
					[tx.json(plan.toUpdate.map((u) => ({ x_id: u.id, x_severity: u.severity, x_message: u.message, x_escalated: u.escalated })))] as never
				))
			);
		}
		if (plan.toResolve.length) {
			out.push(
				...(await tx.unsafe<AlertRow[]>(
					`update alerts set status = 'resolved', resolved_at = now() where id = any($1::uuid[]) returning ${CHANGED('resolved')}`,
					[plan.toResolve] as never
				))
			);
		}
		return out;
	}

	/** Acknowledges an open alert; null when it is not open (already acknowledged, resolved or unknown). */
	async acknowledge(tx: TxSql, id: string, by: string): Promise<AlertRow | null> {
		const rows = await tx.unsafe<AlertRow[]>(
			`update alerts set status = 'acknowledged', acknowledged_by = $2, acknowledged_at = now()
			where id = $1 and status = 'open' returning ${CHANGED('acknowledged')}`,
			[id, by]
		);
		return rows[0] ?? null;
	}

	async get(sql: Sql | TxSql, id: string): Promise<AlertRow | null> {
		const rows = await sql.unsafe<AlertRow[]>(`select ${COLUMNS} from alerts where id = $1`, [id]);
		return rows[0] ?? null;
	}

	/** Filtered, most severe first; `live` means open or acknowledged (not yet resolved). */
	async list(f: Omit<AlertListQuery, 'limit'> & { live?: boolean }, sites: string[] | null, limit: number): Promise<AlertRow[]> {
		const s = this.sql;
		return s.unsafe<AlertRow[]>(
			`select ${COLUMNS} from alerts
			where ($1::text is null or status = $1) and ($2::text[] is null or site is null or site = any($2))
				and ($4::text is null or severity = $4) and ($5::text is null or kind = $5) and ($6::text is null or site = $6)
				and (not $7 or status <> 'resolved')
			order by case severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end, opened_at desc
			limit $3`,
			[f.status ?? null, sites as never, limit, f.severity ?? null, f.kind ?? null, f.site ?? null, f.live ?? false]
		);
	}
}

export function toAlertPayload(row: AlertRow): Omit<AlertMessage, 'seq'> {
	const { subjectKey: _subject, ...payload } = row;
	return payload;
}
