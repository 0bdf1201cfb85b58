import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocket, type RawData } from 'ws';
import type { Principal } from '../../auth/principal.ts';
import type { Logger } from '../../logger.ts';
import type { BoardDocuments } from './board-documents.ts';
import { MalformedMessageError, type BoardDocument, type ConnectionOrigin } from './board-documents.types.ts';
import type { ConnectionBudget } from './yjs.budget.ts';
import { encodePresence, sanitizePresence } from './yjs.presence.ts';
import {
	awarenessMessage,
	CLOSE_CODES,
	MESSAGE_AUTH,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC,
	permissionDeniedMessage,
	syncStep1Message,
	syncStep2Message,
	updateMessage
} from './yjs.protocol.ts';

export interface ConnectionLimits {
	maxMessageBytes: number;
	/** Messages a client may send before its board has loaded (then it is closed). */
	maxQueuedMessages: number;
	maxQueuedBytes: number;
	/** Unsent bytes towards a client beyond which it is closed as too slow. */
	maxBufferedBytes: number;
	/** Bytes and messages a connection may send per window, shared by every connection of a node. */
	budget: ConnectionBudget;
}

// Edits a client may have waiting for its own sync step 2, and how long they may wait.
const HELD_MAX = 64;
const HELD_WAIT_MS = 3000;

// Past this backlog (only possible while the gate looks something up) we stop reading the socket.
const PAUSE_BACKLOG = 32;

function decode<T>(what: string, fn: () => T): T {
	try {
		return fn();
	} catch (cause) {
		throw new MalformedMessageError(what, { cause });
	}
}

function toBytes(data: RawData): Uint8Array {
	if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** One client socket on one board: decodes its frames in order and answers in the y-websocket protocol. */
export class YjsConnection implements ConnectionOrigin {
	readonly kind = 'connection';
	/** Awareness client ids this socket has announced; removed for everyone when it closes. */
	readonly awarenessClients = new Set<number>();
	alive = true;
	closed = false;
	private document: BoardDocument | null = null;
	private queue: Uint8Array[] = [];
	private queuedBytes = 0;
	private draining = false;
	/**
	 * Edits that arrived before this client's own sync step 2 and build on what only that step
	 * carries (a client that reconnects types on before the server asked it what it has). Kept here,
	 * never in the document, and offered again once the step 2 is in — or refused after a while.
	 */
	private held: Uint8Array[] = [];
	private heldTimer: NodeJS.Timeout | null = null;
	private ownStep2Seen = false;

	constructor(
		readonly id: string,
		readonly boardId: string,
		readonly principal: Principal,
		readonly canWrite: boolean,
		readonly ws: WebSocket,
		private readonly documents: BoardDocuments,
		private readonly limits: ConnectionLimits,
		private readonly log: Logger
	) {}

	get attached(): boolean {
		return this.document !== null && !this.closed;
	}

	onMessage(data: RawData, isBinary: boolean): void {
		if (this.closed) return;
		this.alive = true;
		if (!isBinary) return this.drop(CLOSE_CODES.malformed, 'text frames are not part of the protocol');
		const bytes = toBytes(data);
		if (bytes.byteLength > this.limits.maxMessageBytes) return this.drop(CLOSE_CODES.messageTooLarge, 'message too large');
		this.queue.push(bytes);
		this.queuedBytes += bytes.byteLength;
		if (!this.document) {
			if (this.queue.length > this.limits.maxQueuedMessages || this.queuedBytes > this.limits.maxQueuedBytes) {
				this.drop(CLOSE_CODES.tooManyMessages, 'too many messages while the board loads');
			}
			return;
		}
		if (this.queue.length > PAUSE_BACKLOG) this.ws.pause();
		void this.drain();
	}

	/** The board has loaded: only now is the client answered, starting with our sync step 1. */
	attach(document: BoardDocument): void {
		if (this.closed) return;
		this.document = document;
		this.send(syncStep1Message(document.doc));
		const states = document.awareness.getStates();
		if (states.size > 0) this.send(awarenessMessage(document.awareness, [...states.keys()]));
		void this.drain();
	}

	send(message: Uint8Array): void {
		if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
		if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
			return this.drop(CLOSE_CODES.tryAgainLater, 'not reading fast enough');
		}
		this.ws.send(message, (err) => {
			if (err) this.log.debug({ err }, 'yjs send failed');
		});
	}

	deny(reason: string): void {
		this.send(permissionDeniedMessage(reason));
	}

	drop(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		this.queue = [];
		this.queuedBytes = 0;
		this.held = [];
		if (this.heldTimer) clearTimeout(this.heldTimer);
		this.log.info({ code, reason }, 'closing yjs connection');
		this.ws.close(code, reason);
		// A socket paused for backlog would never read the peer's closing frame: the handshake would hang.
		if (this.ws.isPaused) this.ws.resume();
	}

	private async drain(): Promise<void> {
		if (this.draining || !this.document) return;
		this.draining = true;
		try {
			while (this.queue.length > 0 && !this.closed) {
				const message = this.queue.shift() as Uint8Array;
				this.queuedBytes -= message.byteLength;
				if (!(await this.limits.budget.spend(this.id, message.byteLength))) {
					this.drop(CLOSE_CODES.tooManyMessages, 'over the traffic budget of a board connection');
					break;
				}
				await this.handle(this.document, message);
			}
		} catch (err) {
			if (err instanceof MalformedMessageError) {
				this.log.warn({ err: err.cause ?? err, what: err.message }, 'malformed yjs message');
				this.drop(CLOSE_CODES.malformed, err.message);
			} else {
				this.log.error({ err }, 'yjs message handling failed');
				this.drop(CLOSE_CODES.internal, 'internal error');
			}
		} finally {
			this.draining = false;
			if (!this.closed && this.ws.isPaused) this.ws.resume();
		}
	}

	private async handle(document: BoardDocument, message: Uint8Array): Promise<void> {
		const decoder = decoding.createDecoder(message);
		const type = decode('empty message', () => decoding.readVarUint(decoder));
		switch (type) {
			case MESSAGE_SYNC:
				return this.handleSync(document, decoder);
			case MESSAGE_AWARENESS: {
				const update = decode('truncated awareness message', () => decoding.readVarUint8Array(decoder));
				return this.handlePresence(document, update);
			}
			case MESSAGE_QUERY_AWARENESS:
				this.send(awarenessMessage(document.awareness, [...document.awareness.getStates().keys()]));
				return;
			case MESSAGE_AUTH:
				// Permission messages flow server → client only.
				return;
			default:
				throw new MalformedMessageError(`unknown message type ${type}`);
		}
	}

	private handlePresence(document: BoardDocument, update: Uint8Array): void {
		const states = document.awareness.getStates();
		const entries = decode('invalid awareness update', () => sanitizePresence(update, this.principal, this.awarenessClients, (id) => id === document.awareness.clientID || (states.has(id) && !this.awarenessClients.has(id))));
		if (entries.length === 0) return;
		decode('invalid awareness update', () => awarenessProtocol.applyAwarenessUpdate(document.awareness, encodePresence(entries), this));
	}

	private hold(update: Uint8Array): void {
		if (this.held.length >= HELD_MAX) return this.drop(CLOSE_CODES.tooManyMessages, 'too many edits waiting for their sync');
		this.held.push(update);
		this.heldTimer ??= setTimeout(() => this.releaseHeld(), HELD_WAIT_MS);
	}

	/** From now on nothing waits: held edits go back to the front of the queue, to apply or be refused. */
	private releaseHeld(): void {
		this.ownStep2Seen = true;
		if (this.heldTimer) clearTimeout(this.heldTimer);
		this.heldTimer = null;
		if (this.held.length === 0 || this.closed) return;
		const frames = this.held.map(updateMessage);
		this.queue.unshift(...frames);
		this.queuedBytes += frames.reduce((n, f) => n + f.byteLength, 0);
		this.held = [];
		void this.drain();
	}

	private async handleSync(document: BoardDocument, decoder: decoding.Decoder): Promise<void> {
		const step = decode('truncated sync message', () => decoding.readVarUint(decoder));
		switch (step) {
			case syncProtocol.messageYjsSyncStep1: {
				const stateVector = decode('truncated sync step 1', () => decoding.readVarUint8Array(decoder));
				this.send(decode('invalid state vector', () => syncStep2Message(document.doc, stateVector)));
				return;
			}
			case syncProtocol.messageYjsSyncStep2: {
				const update = decode('truncated sync step 2', () => decoding.readVarUint8Array(decoder));
				await this.documents.receiveUpdate(document, update, this);
				this.releaseHeld();
				return;
			}
			case syncProtocol.messageYjsUpdate: {
				const update = decode('truncated sync update', () => decoding.readVarUint8Array(decoder));
				const result = await this.documents.receiveUpdate(document, update, this, { mayWait: !this.ownStep2Seen });
				if (result === 'waiting') this.hold(update);
				return;
			}
			default:
				throw new MalformedMessageError(`unknown sync message ${step}`);
		}
	}
}
