import type { Queue } from 'bullmq';
import * as Y from 'yjs';
import type { Sql } from '../db/database.ts';
import type { OutboxRepository } from '../repositories/outbox.repository.ts';
import type { YjsServer } from '../realtime/yjs/yjs.transport.ts';
import type { Metrics } from './metrics.registry.ts';

export interface MetricSources {
	sql: Sql;
	poolMax: number;
	outbox: OutboxRepository;
	queues: { name: string; queue: Queue }[];
	/** Web nodes only. */
	socketClients?: () => number;
	/** The seq this node's outbox relay has sent up to (web nodes only). */
	relayedSeq?: () => number;
	yjs?: YjsServer;
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Gauges read at scrape time from the things that hold the figures (Redis, Postgres, sockets, boards). */
export function registerSources(m: Metrics, s: MetricSources): void {
	if (s.socketClients) {
		const clients = s.socketClients;
		m.gauge('pb_socketio_connections', 'Open Socket.IO connections on this node', [], () => [{ value: clients() }]);
	}
	if (s.yjs) {
		const yjs = s.yjs;
		m.gauge('pb_board_connections', 'Open board (Yjs) WebSocket connections on this node', [], () => [{ value: yjs.connectionCount() }]);
		m.gauge('pb_boards_loaded', 'Board documents loaded in this node', [], () => [{ value: yjs.documents.loadedBoards().length }]);
		m.gauge('pb_board_document_bytes', 'Size of each loaded board document (its encoded state)', ['board'], () => boardSizes(yjs, (doc) => Y.encodeStateAsUpdate(doc).byteLength));
		m.gauge('pb_board_cards', 'Cards (commitments) in each loaded board document', ['board'], () => boardSizes(yjs, (doc) => doc.getMap('commitments').size));
	}
	m.gauge('pb_queue_jobs', 'BullMQ jobs by queue and state (Redis, so the whole cluster)', ['queue', 'state'], async () => {
		const out: { labels: { queue: string; state: string }; value: number }[] = [];
		for (const { name, queue } of s.queues) {
			const counts = await queue.getJobCounts(...JOB_STATES);
			for (const state of JOB_STATES) out.push({ labels: { queue: name, state }, value: counts[state] ?? 0 });
		}
		return out;
	});
	m.gauge('pb_queue_oldest_waiting_seconds', 'Age of the oldest job still waiting in each queue (0 when none): the queue lag', ['queue'], async () => {
		const out: { labels: { queue: string }; value: number }[] = [];
		for (const { name, queue } of s.queues) {
			const [oldest] = await queue.getJobs(['wait'], 0, 0, true);
			out.push({ labels: { queue: name }, value: oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0 });
		}
		return out;
	});
	if (s.relayedSeq) {
		const relayed = s.relayedSeq;
		m.gauge('pb_outbox_lag_rows', 'Outbox rows committed but not yet relayed by this node (newest seq minus last relayed, plus rows awaiting a seq)', [], async () => {
			const lag = await s.outbox.lagSince(relayed());
			return [{ value: lag.rows }];
		});
		m.gauge('pb_outbox_lag_seconds', 'Age of the oldest outbox row this node has not relayed yet (0 when caught up)', [], async () => {
			const lag = await s.outbox.lagSince(relayed());
			return [{ value: lag.seconds }];
		});
	}
	m.gauge('pb_pg_pool_max', 'Connections this node may open to Postgres (postgres.js pool size)', [], () => [{ value: s.poolMax }]);
	// postgres.js exposes no pool statistics, so Postgres says how many of our connections exist and what they do.
	m.gauge('pb_pg_connections', "Promiseboard's connections to its database by state (pg_stat_activity: every node)", ['state'], async () => {
		const rows = await s.sql<{ state: string | null; n: number }[]>`
			select state, count(*)::int as n from pg_stat_activity
			where datname = current_database() and application_name = 'promiseboard' group by state
		`;
		return rows.map((r) => ({ labels: { state: r.state ?? 'unknown' }, value: r.n }));
	});
}

async function boardSizes(yjs: YjsServer, measure: (doc: Y.Doc) => number): Promise<{ labels: { board: string }; value: number }[]> {
	const out: { labels: { board: string }; value: number }[] = [];
	for (const board of yjs.documents.loadedBoards()) {
		if (!yjs.documents.isLoaded(board)) continue;
		// Holding a lease while measuring keeps the document from unloading under us.
		const lease = await yjs.documents.acquire(board);
		try {
			out.push({ labels: { board }, value: measure(lease.document.doc) });
		} finally {
			lease.release();
		}
	}
	return out;
}
