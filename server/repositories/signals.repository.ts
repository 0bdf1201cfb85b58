import type { DemandSignal, SignalKind, SignalPeriod } from '../../src/lib/contract/signals.ts';
import type { Sql, TxSql } from '../db/database.ts';

const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${col}`;
const COLUMNS = `id, sku, site, kind, customer, qty, per, start_date, end_date, note, created_by,
	${iso('created_at')}, ${iso('updated_at')}, ${iso('withdrawn_at')}, withdrawn_by`;

export interface SignalValues {
	kind: SignalKind;
	customer: string | null;
	qty: number | null;
	per: SignalPeriod | null;
	startDate: string;
	endDate: string | null;
	note: string;
}

export interface SignalFilter {
	sku?: string;
	site?: string;
	/** Withdrawn and ended signals too. */
	all?: boolean;
	sites: string[] | null;
	limit: number;
}

export class SignalsRepository {
	constructor(private readonly sql: Sql) {}

	async create(tx: TxSql, s: SignalValues & { sku: string; site: string; createdBy: string }): Promise<DemandSignal> {
		const rows = await tx.unsafe<DemandSignal[]>(
			`insert into demand_signals (sku, site, kind, customer, qty, per, start_date, end_date, note, created_by)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning ${COLUMNS}`,
			[s.sku, s.site, s.kind, s.customer, s.qty, s.per, s.startDate, s.endDate, s.note, s.createdBy]
		);
		return rows[0];
	}

	async update(tx: TxSql, id: string, s: SignalValues): Promise<DemandSignal | null> {
		const rows = await tx.unsafe<DemandSignal[]>(
			`update demand_signals set kind = $2, customer = $3, qty = $4, per = $5, start_date = $6, end_date = $7, note = $8,
				updated_at = now()
			where id = $1 and withdrawn_at is null returning ${COLUMNS}`,
			[id, s.kind, s.customer, s.qty, s.per, s.startDate, s.endDate, s.note]
		);
		return rows[0] ?? null;
	}

	async withdraw(tx: TxSql, id: string, by: string): Promise<DemandSignal | null> {
		const rows = await tx.unsafe<DemandSignal[]>(
			`update demand_signals set withdrawn_at = now(), withdrawn_by = $2, updated_at = now()
			where id = $1 and withdrawn_at is null returning ${COLUMNS}`,
			[id, by]
		);
		return rows[0] ?? null;
	}

	async get(sql: Sql | TxSql, id: string): Promise<DemandSignal | null> {
		const rows = await sql.unsafe<DemandSignal[]>(`select ${COLUMNS} from demand_signals where id = $1`, [id]);
		return rows[0] ?? null;
	}

	/** Live signals first, newest first. "Ended" compares with the UTC date: a day's slack is harmless here. */
	async list(f: SignalFilter): Promise<DemandSignal[]> {
		return this.sql.unsafe<DemandSignal[]>(
			`select ${COLUMNS} from demand_signals
			where ($1::text is null or sku = $1) and ($2::text is null or site = $2) and ($3::text[] is null or site = any($3))
				and ($4 or (withdrawn_at is null and (end_date is null or end_date >= current_date)))
			order by withdrawn_at is not null, created_at desc, id
			limit $5`,
			[f.sku ?? null, f.site ?? null, f.sites as never, f.all ?? false, f.limit]
		);
	}

	/** Live signals of several SKU×sites in one round trip, keyed `sku\0site`, for the engine. */
	async liveForPairs(tx: TxSql, keys: { sku: string; site: string }[]): Promise<Map<string, DemandSignal[]>> {
		const out = new Map<string, DemandSignal[]>();
		if (keys.length === 0) return out;
		const rows = await tx.unsafe<DemandSignal[]>(
			`select ${COLUMNS} from demand_signals
			where withdrawn_at is null and (sku, site) in (select * from unnest($1::text[], $2::text[]))
			order by id`,
			[keys.map((k) => k.sku), keys.map((k) => k.site)] as never
		);
		for (const r of rows) {
			const key = `${r.sku}\u0000${r.site}`;
			const list = out.get(key);
			if (list) list.push(r);
			else out.set(key, [r]);
		}
		return out;
	}
}
