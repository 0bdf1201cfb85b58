import type { OutboxTopic } from '../../src/lib/contract/socket-events.ts';
import type { Sql, TxSql } from '../db/database.ts';

export interface OutboxRow {
	seq: number;
	topic: OutboxTopic;
	site: string | null;
	payload: Record<string, unknown>;
}

export const OUTBOX_CHANNEL = 'pb_outbox';
const SEQUENCER_LOCK_KEY = 7_240_117_002;

export class OutboxRepository {
	constructor(private readonly sql: Sql) {}

	/** Adds rows inside the caller's transaction; they get their seq after commit, from the sequencer. */
	async append(tx: TxSql, rows: Omit<OutboxRow, 'seq'>[]): Promise<void> {
		if (rows.length === 0) return;
		await tx`
			insert into outbox (topic, site, payload)
			select topic, site, payload from json_to_recordset(${tx.json(rows as never)}::json)
				as x(topic text, site text, payload jsonb)
		`;
		await tx`select pg_notify(${OUTBOX_CHANNEL}, 'new')`;
	}

	/**
	 * Stamps committed, unsequenced rows with the next seqs. Runs under a transaction lock, so stamping
	 * transactions commit one after another: a reader that has seen seq N can never later find a
	 * smaller one. Writers never wait for it, which is what keeps recompute transactions parallel.
	 */
	async sequence(limit = 5000): Promise<number> {
		return this.sql.begin(async (tx) => {
			await tx`select pg_advisory_xact_lock(${SEQUENCER_LOCK_KEY})`;
			const rows = await tx`
				update outbox o set seq = nextval('outbox_seq')
				from (select id from outbox where seq is null order by id limit ${limit}) pending
				where o.id = pending.id
				returning o.seq
			`;
			if (rows.length) await tx`select pg_notify(${OUTBOX_CHANNEL}, 'sequenced')`;
			return rows.length;
		});
	}

	async after(seq: number, limit: number, sites?: string[] | null): Promise<OutboxRow[]> {
		return this.sql<OutboxRow[]>`
			select seq, topic, site, payload from outbox
			where seq > ${seq}
				${sites ? this.sql`and (site is null or site = any(${this.sql.array(sites)}::text[]))` : this.sql``}
			order by seq limit ${limit}
		`;
	}

	async lastSeq(): Promise<number> {
		const [row] = await this.sql<{ seq: number | null }[]>`select max(seq) as seq from outbox`;
		return row?.seq ?? 0;
	}

	async pruneOlderThan(days: number): Promise<number> {
		const rows = await this.sql`
			delete from outbox where created_at < now() - make_interval(days => ${days})
				and seq < (select max(seq) from outbox)
			returning seq
		`;
		return rows.length;
	}

	listen(onNotify: (payload: string) => void) {
		return this.sql.listen(OUTBOX_CHANNEL, onNotify);
	}
}
