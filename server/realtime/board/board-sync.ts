import type { Redis } from 'ioredis';
import type { CommitmentRiskMessage } from '../../../src/lib/contract/socket-events.ts';
import type { Logger } from '../../logger.ts';
import type { Services } from '../../services/services.ts';
import type { BoardLogRepository } from '../../repositories/board-log.repository.ts';
import type { OutboxRelay } from '../outbox.relay.ts';
import type { BoardDocuments } from '../yjs/board-documents.ts';
import { BoardCatchup, type CatchupOptions } from './board-catchup.ts';
import { BoardComputed } from './board-computed.ts';
import { isUnavailableError } from '../../../src/lib/server/unavailable.ts';
import { BoardGate } from './board-gate.ts';
import { BoardProjection, type ProjectionOptions } from './board-projection.ts';
import { BoardRelay } from './board-relay.ts';
import { RelayedUpdates, type RescueOptions } from './board-rescue.ts';
import { BoardRestWriter } from './board-rest-writer.ts';

export interface BoardSyncDeps {
	documents: BoardDocuments;
	services: Pick<Services, 'board' | 'boards' | 'commitments'>;
	/** The stored update log the projection and the catch-up read. */
	boardLog: BoardLogRepository;
	/** This node's outbox relay: the engine's verdicts reach the loaded boards through it. */
	relay: Pick<OutboxRelay, 'tap'> | null;
	log: Logger;
	projection?: ProjectionOptions;
	/** Largest board document a client edit may produce (BOARD_MAX_BYTES). */
	maxDocumentBytes?: number;
	catchup?: CatchupOptions;
	rescue?: RescueOptions;
	/** Other web nodes: board updates and presence relayed through this Redis (null: this node alone). */
	cluster?: { redis: Redis; prefix: string } | null;
}

export interface BoardSync {
	readonly projection: BoardProjection;
	readonly catchup: BoardCatchup;
	readonly relay: BoardRelay | null;
	close(): Promise<void>;
}

/**
 * Everything the server does to board documents besides syncing them with clients: field
 * ownership, the projection of the stored log into the commitments table, verdicts into `computed`,
 * REST writes into the document, and the other web nodes (relay through Redis, catch-up from the
 * log). Start it before any board loads: the gate needs to see every board from its load on.
 */
export function startBoardSync(d: BoardSyncDeps): BoardSync {
	const { documents, services, log } = d;
	const computed = new BoardComputed(documents, log);
	const projection = new BoardProjection(documents, services.board, d.boardLog, (boardId, id, card, outcome) => {
		// No SKU×site recompute covers a card without a site: its verdict is unknown until ops picks one.
		if (outcome === 'stored' && card && !card.site && ['requested', 'confirmed'].includes(card.status ?? 'requested')) {
			computed.apply({ id, board: boardId, risk: 'unknown', shortQty: 0, earliestDate: null, checkedAt: new Date().toISOString() });
		}
	}, log, d.projection);
	const relayed = d.cluster ? new RelayedUpdates(documents, log, d.rescue) : null;
	const catchup = new BoardCatchup(documents, d.boardLog, log, d.catchup, relayed);
	const relay = d.cluster
		? new BoardRelay({
				...d.cluster,
				documents,
				log,
				onReconnect: () => catchup.all(),
				// Published before the subscription was active: saved by then, or soon (the sweep reads it).
				onSubscribed: (boardId) => void catchup.catchUp(boardId),
				onRelayed: (boardId, update) => relayed?.relayed(boardId, update)
			})
		: null;
	const gate = new BoardGate(documents, {
		claimClient: (boardId, clientId, owner) => services.board.claimClient(boardId, clientId, owner),
		foreignCards: async (boardId, ids) => new Map([...(await services.boards.boardsOfCommitments(ids))].filter(([, board]) => board !== boardId)),
		scopeOf: async (boardId) => {
			try {
				return await services.boards.scopeOf(boardId);
			} catch (err) {
				// Database away: the scope this node read moments ago still judges edits (they wait in
				// the bounded buffer); without one the edit is not judged now and its author resends it.
				const last = services.boards.peekScope(boardId);
				if (last !== undefined && isUnavailableError(err)) return last;
				throw err;
			}
		},
		onRefused: ({ boardId, actor, reasons, cards }) => {
			log.info({ boardId, actor, reasons }, 'refused a board update');
			services.board.recordRefusal(boardId, cards, actor, reasons).catch((err) => log.error({ err }, 'recording a refusal failed'));
		},
		log,
		maxDocumentBytes: d.maxDocumentBytes
	});

	const offs = [
		gate.attach(),
		projection.attach(),
		relayed?.attach() ?? (() => {}),
		catchup.attach(),
		relay?.attach() ?? (() => {}),
		documents.onLoad(({ boardId }) => {
			void (async () => {
				const rows = await services.board.boardRows(boardId);
				await projection.backfill(boardId, rows);
				await computed.fill(boardId, rows);
			})().catch((err) => log.error({ err, boardId }, 'comparing a loaded board with its commitments failed'));
		}),
		d.relay?.tap(['commitment'], (row) => computed.apply(row.payload as unknown as Omit<CommitmentRiskMessage, 'seq'>)) ?? (() => {})
	];
	services.commitments.useBoard(new BoardRestWriter(documents, projection));

	return {
		projection,
		catchup,
		relay,
		async close() {
			services.commitments.useBoard(null);
			catchup.close();
			await relay?.close();
			// Saved now, these rows are projected by this node before it goes, not by the next to look.
			await documents.flushAll(5000).catch((err) => log.warn({ err }, 'board updates left unsaved at shutdown'));
			await projection.close();
			offs.forEach((off) => off());
		}
	};
}
