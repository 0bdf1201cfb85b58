import type { Commitment, CommitmentWithRisk } from '../../src/lib/contract/commitments.ts';
import type { Risk } from '../../src/lib/contract/domain.ts';
import type { Sql, TxSql } from '../db/database.ts';
import { groupByPair } from './pair-key.ts';

export interface RiskUpdate {
	id: string;
	risk: Risk;
	shortQty: number;
	earliestDate: string | null;
	needsPo: boolean;
}

export type OpenCommitment = Commitment & { risk: Risk; shortQty: number; earliestDate: string | null; needsPo: boolean };

export interface CommitmentFilter {
	board?: string;
	sku?: string;
	site?: string;
	risk?: Risk;
	status?: string;
	sites?: string[] | null;
	/** Only commitments on these boards (the boards the reader covers); undefined or null: any board. */
	boards?: string[] | null;
	limit: number;
}

const COLUMNS = 'id, board_id as board, customer, sku, qty, requested_date, promised_date, site, status, owner, priority, notes';

export class CommitmentsRepository {
	constructor(private readonly sql: Sql) {}

	/** Open commitments shipping from one SKU×site: what the engine counts as demand there. */
	async openForPair(tx: TxSql, sku: string, site: string): Promise<OpenCommitment[]> {
		return tx.unsafe<OpenCommitment[]>(
			`select ${COLUMNS}, risk, short_qty, earliest_date, needs_po from commitments
			where sku = $1 and site = $2 and status in ('requested', 'confirmed') order by id`,
			[sku, site]
		);
	}

	/** openForPair for several pairs in one round trip, keyed `sku\0site`. */
	async openForPairs(tx: TxSql, keys: { sku: string; site: string }[]): Promise<Map<string, OpenCommitment[]>> {
		const rows = await tx.unsafe<OpenCommitment[]>(
			`select ${COLUMNS}, risk, short_qty, earliest_date, needs_po from commitments
			where status in ('requested', 'confirmed') and (sku, site) in (select * from unnest($1::text[], $2::text[]))
			order by id`,
			[keys.map((k) => k.sku), keys.map((k) => k.site)] as never
		);
		return groupByPair(rows);
	}

	async writeRisks(tx: TxSql, updates: RiskUpdate[]): Promise<void> {
		// Callers send only changed verdicts, so every row here is news for open boards.
		if (updates.length === 0) return;
		await tx`
			update commitments c set risk = u.risk, short_qty = u.short_qty, earliest_date = u.earliest_date,
				needs_po = u.needs_po, checked_at = now()
			from json_to_recordset(${tx.json(updates.map((u) => ({ id: u.id, risk: u.risk, short_qty: u.shortQty, earliest_date: u.earliestDate, needs_po: u.needsPo })) as never)}::json)
				as u(id text, risk text, short_qty integer, earliest_date date, needs_po boolean)
			where c.id = u.id
		`;
	}

	/** Stamps commitments no SKU×site recompute covers (no site, or closed) with their verdict. */
	async writeUnplaced(tx: TxSql, id: string, risk: Risk): Promise<void> {
		await tx`update commitments set risk = ${risk}, short_qty = 0, earliest_date = null, needs_po = false, checked_at = now() where id = ${id}`;
	}

	async get(sql: Sql | TxSql, id: string): Promise<CommitmentWithRisk | null> {
		const rows = await sql.unsafe<CommitmentWithRisk[]>(`select ${COLUMNS}, risk, short_qty, earliest_date, checked_at from commitments where id = $1`, [id]);
		return rows[0] ?? null;
	}

	async lockForUpdate(tx: TxSql, id: string): Promise<Commitment | null> {
		const rows = await tx.unsafe<Commitment[]>(`select ${COLUMNS} from commitments where id = $1 for update`, [id]);
		return rows[0] ?? null;
	}

	/** Insert or replace every field of a commitment (the board projection writes whole records). */
	async upsert(tx: TxSql, c: Commitment): Promise<void> {
		await tx`
			insert into commitments (id, board_id, customer, sku, qty, requested_date, promised_date, site, status, owner, priority, notes)
			values (${c.id}, ${c.board}, ${c.customer}, ${c.sku}, ${c.qty}, ${c.requestedDate}, ${c.promisedDate}, ${c.site},
				${c.status}, ${c.owner}, ${c.priority}, ${c.notes})
			on conflict (id) do update set board_id = excluded.board_id, customer = excluded.customer, sku = excluded.sku,
				qty = excluded.qty, requested_date = excluded.requested_date, promised_date = excluded.promised_date,
				site = excluded.site, status = excluded.status, owner = excluded.owner, priority = excluded.priority,
				notes = excluded.notes, updated_at = now()
		`;
	}

	async list(f: CommitmentFilter): Promise<CommitmentWithRisk[]> {
		const s = this.sql;
		return s<CommitmentWithRisk[]>`
			select id, board_id as board, customer, sku, qty, requested_date, promised_date, site, status, owner, priority,
				notes, risk, short_qty, earliest_date, checked_at
			from commitments
			where true
				${f.board ? s`and board_id = ${f.board}` : s``}
				${f.sku ? s`and sku = ${f.sku}` : s``}
				${f.site ? s`and site = ${f.site}` : s``}
				${f.risk ? s`and risk = ${f.risk}` : s``}
				${f.status ? s`and status = ${f.status}` : s``}
				${f.sites ? s`and (site is null or site = any(${s.array(f.sites)}::text[]))` : s``}
				${f.boards ? s`and board_id = any(${s.array(f.boards)}::text[])` : s``}
			order by coalesce(promised_date, requested_date), id
			limit ${f.limit}
		`;
	}

	/**
	 * The board each of these commitment ids is stored on (ids not stored are left out): an id names
	 * one commitment on one board, so a card with an id taken on another board is refused.
	 */
	async boardsOf(ids: string[]): Promise<Map<string, string>> {
		if (ids.length === 0) return new Map();
		const rows = await this.sql<{ id: string; board: string }[]>`
			select id, board_id as board from commitments where id = any(${this.sql.array(ids)}::text[])
		`;
		return new Map(rows.map((r) => [r.id, r.board]));
	}

	/** Stored commitments by id (a CSV import compares each row with what it changes). */
	async getMany(ids: string[], tx: Sql | TxSql = this.sql): Promise<Map<string, Commitment>> {
		if (ids.length === 0) return new Map();
		const rows = await tx.unsafe<Commitment[]>(`select ${COLUMNS} from commitments where id = any($1::text[])`, [ids] as never);
		return new Map(rows.map((r) => [r.id, r]));
	}

	/** getMany with the rows locked, in id order, for a write that re-checks the policy against them. */
	async lockMany(tx: TxSql, ids: string[]): Promise<Map<string, Commitment>> {
		if (ids.length === 0) return new Map();
		const rows = await tx.unsafe<Commitment[]>(`select ${COLUMNS} from commitments where id = any($1::text[]) order by id for update`, [ids] as never);
		return new Map(rows.map((r) => [r.id, r]));
	}

	/** upsert for many commitments in one statement; those without a site get the unknown verdict. */
	async upsertMany(tx: TxSql, list: Commitment[]): Promise<void> {
		if (list.length === 0) return;
		const json = list.map((c) => ({
			id: c.id, board_id: c.board, customer: c.customer, sku: c.sku, qty: c.qty, requested_date: c.requestedDate,
			promised_date: c.promisedDate, site: c.site, status: c.status, owner: c.owner, priority: c.priority, notes: c.notes
		}));
		await tx`
			insert into commitments (id, board_id, customer, sku, qty, requested_date, promised_date, site, status, owner, priority, notes)
			select * from json_to_recordset(${tx.json(json as never)}::json) as x(
				id text, board_id text, customer text, sku text, qty integer, requested_date date, promised_date date,
				site text, status text, owner text, priority integer, notes text)
			order by id
			on conflict (id) do update set board_id = excluded.board_id, customer = excluded.customer, sku = excluded.sku,
				qty = excluded.qty, requested_date = excluded.requested_date, promised_date = excluded.promised_date,
				site = excluded.site, status = excluded.status, owner = excluded.owner, priority = excluded.priority,
				notes = excluded.notes, updated_at = now()
		`;
		const unplaced = list.filter((c) => c.site === null).map((c) => c.id);
		if (unplaced.length) {
			await tx`update commitments set risk = 'unknown', short_qty = 0, earliest_date = null, needs_po = false, checked_at = now()
				where id = any(${tx.array(unplaced)}::text[])`;
		}
	}
}
