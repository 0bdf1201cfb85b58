import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebSocketServer, type WebSocket } from 'ws';
import { principalLabel, type Principal } from '../../auth/principal.ts';
import type { Sql } from '../../db/database.ts';
import type { Logger } from '../../logger.ts';
import { createBoardDocumentsRepository, type BoardDocumentStore } from '../../repositories/board-documents.repository.ts';
import { BoardDocuments } from './board-documents.ts';
import { isServerOrigin, type ConnectionOrigin } from './board-documents.types.ts';
import { ConnectionBudget, type BudgetOptions } from './yjs.budget.ts';
import { YjsConnection, type ConnectionLimits } from './yjs.connection.ts';
import { awarenessMessage, CLOSE_CODES, updateMessage } from './yjs.protocol.ts';

export const YJS_PATH_PREFIX = '/yjs/';
const BOARD_PATH = /^\/yjs\/([A-Za-z0-9_-]{1,64})$/;

/**
 * Thrown by `authorise` to refuse with a close code of its own, e.g. 4403 for someone signed in who
 * may not open this board; the connection still closes before any document byte.
 */
export class YjsRefusal extends Error {
	constructor(
		readonly code: number,
		reason: string
	) {
		super(reason);
	}
}

export interface YjsServerOptions {
	log: Logger;
	/** Who is connecting (session cookie, `?token=`…); null refuses the connection (4401), a YjsRefusal with its code. Runs before any load. */
	authorise(req: IncomingMessage, boardId: string): Promise<Principal | null>;
	/** Storage: a database (the board documents repository is built on it) or a store of your own. */
	sql?: Sql;
	store?: BoardDocumentStore;
	/** A registry shared with other server code; when given, its owner closes it. */
	documents?: BoardDocuments;
	canWrite?: (principal: Principal) => boolean;
	/** Largest accepted message (default 1 MiB); larger ones close with 4413. */
	maxMessageBytes?: number;
	unloadGraceMs?: number;
	flushDelayMs?: number;
	compactAfterUpdates?: number;
	retryBaseMs?: number;
	retryMaxMs?: number;
	maxUnsavedBytes?: number;
	/** Keepalive: a peer that misses a whole interval's pong is terminated (default 30 s). */
	pingIntervalMs?: number;
	maxQueuedMessages?: number;
	maxQueuedBytes?: number;
	maxBufferedBytes?: number;
	/** What one connection may send per window before it is closed with 4429. */
	budget?: BudgetOptions;
}

export interface YjsServer {
	/** Give it the 'upgrade' events for `/yjs/…` (see isYjsUpgrade); other paths are answered 404. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
	readonly documents: BoardDocuments;
	connectionCount(boardId?: string): number;
	/** Closes the connections `match` selects, e.g. when a session is revoked; returns how many. */
	disconnect(match: (connection: ConnectionOrigin) => boolean, code?: number, reason?: string): number;
	close(): Promise<void>;
}

/** The board id of a `/yjs/<boardId>` request URL (query string allowed), or null. */
export function boardIdFromUrl(url: string | undefined): string | null {
	if (!url) return null;
	const pathname = url.split('?', 1)[0];
	return BOARD_PATH.exec(pathname)?.[1] ?? null;
}

export function isYjsUpgrade(req: IncomingMessage): boolean {
	return (req.url ?? '').startsWith(YJS_PATH_PREFIX);
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
	if (!socket.writable) return void socket.destroy();
	socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

export function createYjsServer(options: YjsServerOptions): YjsServer {
	const { log } = options;
	const maxMessageBytes = options.maxMessageBytes ?? 1024 * 1024;
	const limits: ConnectionLimits = {
		maxMessageBytes,
		maxQueuedMessages: options.maxQueuedMessages ?? 64,
		maxQueuedBytes: options.maxQueuedBytes ?? 1024 * 1024,
		maxBufferedBytes: options.maxBufferedBytes ?? 16 * 1024 * 1024,
		budget: new ConnectionBudget(options.budget)
	};
	const ownsDocuments = !options.documents;
	const documents =
		options.documents ??
		new BoardDocuments({
			store: options.store ?? createBoardDocumentsRepository(required(options.sql)),
			log,
			unloadGraceMs: options.unloadGraceMs,
			flushDelayMs: options.flushDelayMs,
			compactAfterUpdates: options.compactAfterUpdates,
			retryBaseMs: options.retryBaseMs,
			retryMaxMs: options.retryMaxMs,
			maxUnsavedBytes: options.maxUnsavedBytes,
			canWrite: options.canWrite
		});
	// ws closes with 1009 past maxPayload before we see the message; the slack lets us answer the
	// common case (a bit too large) with our own, permanent 4413 while ws still caps memory.
	const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes * 2 });
	const connections = new Set<YjsConnection>();
	const byBoard = new Map<string, Set<YjsConnection>>();
	let nextId = 0;
	let closed = false;

	const peers = (boardId: string): Iterable<YjsConnection> => byBoard.get(boardId) ?? [];

	const broadcast = (boardId: string, update: Uint8Array, origin: unknown) => {
		let message: Uint8Array | null = null;
		for (const peer of peers(boardId)) {
			if (peer === origin || !peer.attached) continue;
			message ??= updateMessage(update);
			peer.send(message);
		}
	};
	const unsubscribeChange = documents.onChange(({ boardId, update, origin }) => {
		// The server's own edits reach clients only once stored: a client must never hold a server
		// struct that a crash could lose, since nobody but the server may hand it back.
		if (isServerOrigin(origin)) void documents.whenSaved(boardId).then(() => broadcast(boardId, update, origin));
		else broadcast(boardId, update, origin);
	});

	const unsubscribeLoad = documents.onLoad(({ boardId, awareness }) => {
		awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
			if (origin instanceof YjsConnection) {
				for (const id of added) origin.awarenessClients.add(id);
				for (const id of removed) origin.awarenessClients.delete(id);
			}
			const message = awarenessMessage(awareness, [...added, ...updated, ...removed]);
			for (const peer of peers(boardId)) if (peer.attached) peer.send(message);
		});
	});

	const pingTimer = setInterval(() => {
		for (const connection of connections) {
			if (!connection.alive) {
				connection.ws.terminate();
				continue;
			}
			connection.alive = false;
			connection.ws.ping();
		}
	}, options.pingIntervalMs ?? 30_000);

	function accept(ws: WebSocket, boardId: string, principal: Principal): void {
		const id = `y${++nextId}`;
		const connectionLog = log.child({ boardId, connection: id, principal: principalLabel(principal) });
		const connection = new YjsConnection(id, boardId, principal, documents.canWrite(principal), ws, documents, limits, connectionLog);
		connections.add(connection);
		let board = byBoard.get(boardId);
		if (!board) byBoard.set(boardId, (board = new Set()));
		board.add(connection);
		let release: (() => void) | null = null;

		ws.on('message', (data, isBinary) => connection.onMessage(data, isBinary));
		ws.on('pong', () => (connection.alive = true));
		ws.on('error', (err) => connectionLog.debug({ err }, 'yjs socket error'));
		ws.on('close', () => {
			connection.closed = true;
			connections.delete(connection);
			board.delete(connection);
			if (board.size === 0 && byBoard.get(boardId) === board) byBoard.delete(boardId);
			release?.();
		});

		documents.acquire(boardId).then(
			(lease) => {
				release = () => {
					const { awareness } = lease.document;
					// Other peers must not keep showing a cursor of someone who left.
					awarenessProtocol.removeAwarenessStates(awareness, [...connection.awarenessClients], null);
					lease.release();
				};
				if (connection.closed) return release();
				connection.attach(lease.document);
			},
			() => connection.drop(CLOSE_CODES.internal, 'board unavailable')
		);
	}

	return {
		documents,

		handleUpgrade(req, socket, head) {
			const boardId = boardIdFromUrl(req.url);
			if (!boardId) return rejectUpgrade(socket, 404, 'Not Found');
			if (closed) return rejectUpgrade(socket, 503, 'Service Unavailable');
			// A peer resetting while we authorise must not become an unhandled 'error'.
			const swallow = (err: Error) => log.debug({ err }, 'yjs upgrade socket error');
			socket.on('error', swallow);
			void (async () => {
				let principal: Principal | null = null;
				let failed = false;
				let refusal: YjsRefusal | null = null;
				try {
					principal = await options.authorise(req, boardId);
				} catch (err) {
					if (err instanceof YjsRefusal) refusal = err;
					else {
						failed = true;
						log.error({ err, boardId }, 'yjs authorisation failed');
					}
				}
				if (socket.destroyed) return;
				if (closed) return rejectUpgrade(socket, 503, 'Service Unavailable');
				// Refusals are close codes, not HTTP statuses: browsers hide the status (the client
				// would retry for ever), while 44xx makes y-websocket stop and emit `closed`.
				wss.handleUpgrade(req, socket, head, (ws) => {
					socket.off('error', swallow);
					if (failed) return ws.close(CLOSE_CODES.internal, 'authorisation failed');
					if (refusal) return ws.close(refusal.code, refusal.message);
					if (!principal) return ws.close(CLOSE_CODES.unauthorised, 'unauthorised');
					accept(ws, boardId, principal);
				});
			})();
		},

		connectionCount(boardId) {
			return boardId === undefined ? connections.size : (byBoard.get(boardId)?.size ?? 0);
		},

		disconnect(match, code = CLOSE_CODES.unauthorised, reason = 'access revoked') {
			let count = 0;
			for (const connection of connections) {
				if (!connection.closed && match(connection)) {
					connection.drop(code, reason);
					count++;
				}
			}
			return count;
		},

		async close() {
			if (closed) return;
			closed = true;
			clearInterval(pingTimer);
			unsubscribeChange();
			unsubscribeLoad();
			for (const connection of connections) connection.drop(CLOSE_CODES.goingAway, 'server shutting down');
			try {
				if (ownsDocuments) await documents.close();
			} finally {
				for (const connection of connections) connection.ws.terminate();
				wss.close();
			}
		}
	};
}

function required(sql: Sql | undefined): Sql {
	if (!sql) throw new Error('createYjsServer needs sql, store or documents');
	return sql;
}
