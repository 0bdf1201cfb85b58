import type { OutboxTopic } from '../../src/lib/contract/socket-events.ts';
import type { Sql, TxSql } from '../db/database.ts';

export interface OutboxRow {
	seq: number;
	topic: OutboxTopic;
	site: string | null;
	payload: Record<string, unknown>;
}

export const OUTBOX_CHANNEL = 'pb_outbox';
// Writers take this lock right before inserting, so seq order equals commit order and a
// reader that has seen seq N can never later find a smaller committed seq.
const OUTBOX_LOCK_KEY = 7_240_117_002;

export class OutboxRepository {
	constructor(private readonly sql: Sql) {}

	/** Call as the last statement of the transaction: the lock is held until commit. */
	async append(tx: TxSql, rows: Omit<OutboxRow, 'seq'>[]): Promise<void> {
		if (rows.length === 0) return;
		await tx`select pg_advisory_xact_lock(${OUTBOX_LOCK_KEY})`;
		await tx`
			insert into outbox (topic, site, payload)
			select topic, site, payload from json_to_recordset(${tx.json(rows as never)}::json)
				as x(topic text, site text, payload jsonb)
		`;
		await tx`select pg_notify(${OUTBOX_CHANNEL}, '')`;
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

	listen(onNotify: () => void) {
		return this.sql.listen(OUTBOX_CHANNEL, onNotify);
	}
}
