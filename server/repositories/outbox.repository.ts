import type { OutboxPayload, OutboxTopic } from '../../src/lib/contract/socket-events.ts';
import type { Sql, TxSql } from '../db/database.ts';

/** What a transaction adds to the outbox: a socket event's payload under its topic (the contract's event map). */
export type OutboxEntry = { [T in OutboxTopic]: { topic: T; site: string | null; payload: OutboxPayload<T> } }[OutboxTopic];

/** An outbox row after sequencing: its seq becomes the event's `seq`. */
export type OutboxRow = OutboxEntry & { seq: number };

export const OUTBOX_CHANNEL = 'pb_outbox';
const SEQUENCER_LOCK_KEY = 7_240_117_002;
/** NOTIFY payloads must stay under 8,000 bytes; rows beyond this are left for the listener to read. */
const NOTIFY_ROWS_BYTES = 7000;

/**
 * What the sequencer announces on OUTBOX_CHANNEL: the seqs it stamped, and the rows when small.
 * Writers announce `new` (rows waiting for a seq); anything else is treated like `new`.
 */
export type SequencedNote = { from: number; to: number; rows: OutboxRow[] | null };

export function parseSequencedNote(payload: string): SequencedNote | null {
	if (!payload.startsWith('{')) return null;
	try {
		const n = JSON.parse(payload) as SequencedNote;
		return Number.isSafeInteger(n.from) && Number.isSafeInteger(n.to) ? { from: n.from, to: n.to, rows: Array.isArray(n.rows) ? n.rows : null } : null;
	} catch {
		return null;
	}
}

export class OutboxRepository {
	constructor(private readonly sql: Sql) {}

	/** Adds rows inside the caller's transaction; they get their seq after commit, from the sequencer. */
	async append(tx: TxSql, rows: OutboxEntry[]): Promise<void> {
		if (rows.length === 0) return;
		await tx`
			insert into outbox (topic, site, payload)
			select topic, site, payload from json_to_recordset(${tx.json(rows as never)}::json)
				as x(topic text, site text, payload jsonb)
		`;
		await tx`select pg_notify(${OUTBOX_CHANNEL}, 'new')`;
	}

	/**
	 * Stamps committed, unsequenced rows with the next seqs and returns them in seq order. Runs under a
	 * transaction lock, so stamping transactions commit one after another: a reader that has seen seq N
	 * can never later find a smaller one. Writers never wait for it, which is what keeps recompute
	 * transactions parallel. The statements go out pipelined (one round trip between BEGIN and COMMIT),
	 * and the NOTIFY tells every listener which seqs were stamped, with the rows themselves when they
	 * fit in a notification, so other nodes can emit them without reading them back.
	 */
	async sequence(limit = 5000): Promise<OutboxRow[]> {
		const [, , rows] = await this.sql.begin((tx) => [
			tx`select pg_advisory_xact_lock(${SEQUENCER_LOCK_KEY})`,
			// After a crash (pg_ctl stop -m immediate in the fault suite) the sequence has come back below
			// seqs already committed; stamping from there would hide rows behind every reader's lastSeq.
			// Under the lock, re-base it on the highest seq stored (an index lookup) whenever it lags.
			tx`
				select setval('outbox_seq', m.seq)
				from (select max(seq) as seq from outbox) m, outbox_seq s
				where m.seq is not null and (m.seq > s.last_value or (m.seq = s.last_value and not s.is_called))
			`,
			// A SELECT in a WITH runs only if referenced: the join makes the NOTIFY happen.
			tx<OutboxRow[]>`
				with stamped as (
					update outbox o set seq = nextval('outbox_seq')
					from (select id from outbox where seq is null order by id limit ${limit}) pending
					where o.id = pending.id
					returning o.seq, o.topic, o.site, o.payload
				), note as (
					select pg_notify(${OUTBOX_CHANNEL}, json_build_object(
						'from', min(seq), 'to', max(seq),
						'rows', case when sum(octet_length(payload::text) + octet_length(topic) + coalesce(octet_length(site), 0) + 64) < ${NOTIFY_ROWS_BYTES}
							then json_agg(json_build_object('seq', seq, 'topic', topic, 'site', site, 'payload', payload) order by seq) end
					)::text)
					from stamped having count(*) > 0
				)
				select s.seq, s.topic, s.site, s.payload from stamped s left join note on true order by s.seq
			`
		]);
		return rows as unknown as OutboxRow[];
	}

	async after(seq: number, limit: number, sites?: string[] | null): Promise<OutboxRow[]> {
		return this.sql<OutboxRow[]>`
			select seq, topic, site, payload from outbox
			where seq > ${seq}
				${sites ? this.sql`and (site is null or site = any(${this.sql.array(sites)}::text[]))` : this.sql``}
			order by seq limit ${limit}
		`;
	}

	/** Sequenced rows of one topic after `seq`, in order (the webhook dispatcher reads alerts only). */
	async afterOfTopic(seq: number, topic: OutboxTopic, limit: number): Promise<OutboxRow[]> {
		return this.sql<OutboxRow[]>`
			select seq, topic, site, payload from outbox where seq > ${seq} and topic = ${topic} order by seq limit ${limit}
		`;
	}

	/** Rows after `seq`, counted only up to `cap` (a replay bound needs "more than N", not the total). */
	async countAfter(seq: number, cap: number): Promise<number> {
		const [row] = await this.sql<{ n: number }[]>`
			select count(*)::int as n from (select 1 from outbox where seq > ${seq} order by seq limit ${cap}) x
		`;
		return row.n;
	}

	async lastSeq(): Promise<number> {
		const [row] = await this.sql<{ seq: number | null }[]>`select max(seq) as seq from outbox`;
		return row?.seq ?? 0;
	}

	/**
	 * Deletes sequenced rows older than `hours`, a batch per transaction so a large backlog never holds
	 * long locks, and raises the horizon to the highest seq deleted. The newest row always stays, so
	 * lastSeq() never goes back and pages never start from 0 again.
	 */
	async pruneOlderThan(hours: number, batch = 5000): Promise<number> {
		let total = 0;
		for (;;) {
			const n = await this.sql.begin(async (tx) => {
				const [row] = await tx<{ n: number; upTo: number | null }[]>`
					with doomed as (
						delete from outbox where id in (
							select id from outbox
							where seq is not null and created_at < now() - ${hours}::float8 * interval '1 hour'
								and seq < (select max(seq) from outbox)
							order by id limit ${batch}
						) returning seq
					)
					select count(*)::int as n, max(seq) as up_to from doomed
				`;
				if (row.upTo !== null) await tx`update outbox_horizon set pruned_through = greatest(pruned_through, ${row.upTo})`;
				return row.n;
			});
			total += n;
			if (n < batch) return total;
		}
	}

	/** How far behind `relayedSeq` the outbox is: rows after it (or still unsequenced) and the oldest one's age. */
	async lagSince(relayedSeq: number): Promise<{ rows: number; seconds: number }> {
		const [row] = await this.sql<{ rows: number; seconds: number | null }[]>`
			select count(*)::int as rows, extract(epoch from now() - min(created_at))::float8 as seconds
			from outbox where seq > ${relayedSeq} or seq is null
		`;
		return { rows: row.rows, seconds: Math.max(0, row.seconds ?? 0) };
	}

	/** Highest seq pruned so far: a replay from a smaller seq has lost rows. */
	async prunedThrough(): Promise<number> {
		const [row] = await this.sql<{ prunedThrough: number }[]>`select pruned_through from outbox_horizon`;
		return row?.prunedThrough ?? 0;
	}

	listen(onNotify: (payload: string) => void) {
		return this.sql.listen(OUTBOX_CHANNEL, onNotify);
	}
}
