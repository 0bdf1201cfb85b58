import { randomUUID } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.ts';
import type { BoardDocuments } from '../yjs/board-documents.ts';
import { isConnectionOrigin, isRemoteOrigin, type BoardDocument, type RemoteOrigin } from '../yjs/board-documents.types.ts';

/** The origin of updates and presence another node relayed: applied and shown, never saved or sent on. */
export const RELAY_ORIGIN: RemoteOrigin = Object.freeze({ kind: 'relay' });

const enum Kind {
	Update = 0,
	Awareness = 1,
	/** A node that just subscribed asks the others for the presence of their clients. */
	QueryAwareness = 2
}

export interface BoardRelayOptions {
	/** The node's Redis connection; the relay opens its own publisher and subscriber from it. */
	redis: Redis;
	prefix: string;
	documents: BoardDocuments;
	log: Logger;
	/** Called after the subscriber reconnects (messages may have been lost meanwhile). */
	onReconnect?: () => void;
	/** Called once a board's subscription is active (what was published before it was missed). */
	onSubscribed?: (boardId: string) => void;
	/** Called with every update another node relayed and this node applied. */
	onRelayed?: (boardId: string, update: Uint8Array) => void;
}

/**
 * Board updates and presence between web nodes, through Redis pub/sub, one channel per loaded
 * board (the shape of Hocuspocus's Redis extension). A node publishes what it accepted (already
 * checked and applied here; this node saves it) and applies what others publish with RELAY_ORIGIN.
 * Redis may drop messages (restart, a paused node): the Postgres log is the truth and BoardCatchup
 * reads what was missed, so a failed publish is only logged.
 */
export class BoardRelay {
	readonly nodeId = randomUUID();
	private readonly pub: Redis;
	private readonly sub: Redis;
	private readonly boards = new Map<string, BoardDocument>();
	/** Awareness client ids announced by this node's own connections, per board. */
	private readonly local = new Map<string, Set<number>>();
	private readonly channelPrefix: string;
	private readyBefore = false;
	private publishFailing = false;
	private closed = false;

	constructor(private readonly o: BoardRelayOptions) {
		this.channelPrefix = `${o.prefix}:board:`;
		// No offline queue: while Redis is away a publish fails at once instead of piling up in memory.
		this.pub = o.redis.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 0 });
		this.sub = o.redis.duplicate();
		for (const [name, connection] of [['publisher', this.pub], ['subscriber', this.sub]] as const) {
			connection.on('error', (err: Error) => o.log.debug({ err: err.message }, `board relay ${name}: redis error`));
		}
		this.sub.on('ready', () => {
			if (this.readyBefore && !this.closed) {
				o.log.info('board relay reconnected to redis; catching up from the log');
				for (const boardId of this.boards.keys()) this.publish(boardId, Kind.QueryAwareness, new Uint8Array());
				o.onReconnect?.();
			}
			this.readyBefore = true;
		});
		this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
	}

	attach(): () => void {
		const { documents } = this.o;
		const offs = [
			documents.onLoad((document) => this.subscribe(document)),
			documents.onUnload((boardId) => this.unsubscribe(boardId)),
			// First: other nodes' clients should not wait for this node's own sends.
			documents.onChange(({ boardId, update, origin }) => {
				// Loaded from or read back from the log, or relayed: every node has it or will read it.
				if (origin === 'load' || isRemoteOrigin(origin)) return;
				this.publish(boardId, Kind.Update, update);
			}, { first: true })
		];
		return () => offs.forEach((off) => off());
	}

	async close(): Promise<void> {
		this.closed = true;
		this.boards.clear();
		this.pub.disconnect();
		this.sub.disconnect();
	}

	private channel(boardId: string): string {
		return this.channelPrefix + boardId;
	}

	private subscribe(document: BoardDocument): void {
		const { boardId, awareness } = document;
		this.boards.set(boardId, document);
		const local = new Set<number>();
		this.local.set(boardId, local);
		awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
			// Relayed presence is the other node's to send; expiry ('timeout') each node does itself.
			if (origin === RELAY_ORIGIN || origin === 'timeout' || this.boards.get(boardId) !== document) return;
			if (isConnectionOrigin(origin)) {
				for (const id of added) local.add(id);
				for (const id of removed) local.delete(id);
			} else {
				// A departing connection's clients are removed with origin null (yjs.transport.ts).
				for (const id of removed) local.delete(id);
			}
			const changed = [...added, ...updated, ...removed];
			this.publish(boardId, Kind.Awareness, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
		});
		this.listen(boardId, document, 0);
	}

	/** Subscribes to a board's channel, retrying while the board stays loaded (the log catch-up covers the gap). */
	private listen(boardId: string, document: BoardDocument, attempt: number): void {
		this.sub.subscribe(this.channel(boardId)).then(
			() => {
				if (this.boards.get(boardId) !== document) return;
				this.publish(boardId, Kind.QueryAwareness, new Uint8Array());
				this.o.onSubscribed?.(boardId);
			},
			(err: Error) => {
				this.o.log.warn({ err: err.message, boardId, attempt }, 'subscribing to the board relay failed; retrying, the log catch-up covers the gap');
				const retry = setTimeout(() => {
					if (!this.closed && this.boards.get(boardId) === document) this.listen(boardId, document, attempt + 1);
				}, Math.min(5000, 250 * 2 ** attempt));
				retry.unref();
			}
		);
	}

	private unsubscribe(boardId: string): void {
		this.boards.delete(boardId);
		this.local.delete(boardId);
		if (!this.closed) this.sub.unsubscribe(this.channel(boardId)).catch(() => {});
	}

	private publish(boardId: string, kind: Kind, payload: Uint8Array): void {
		if (this.closed) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarString(encoder, this.nodeId);
		encoding.writeVarUint(encoder, kind);
		encoding.writeVarUint8Array(encoder, payload);
		const message = Buffer.from(encoding.toUint8Array(encoder));
		this.pub.publish(this.channel(boardId), message).then(
			() => {
				if (this.publishFailing) this.o.log.info('board relay publishing again');
				this.publishFailing = false;
			},
			(err: Error) => {
				if (!this.publishFailing) this.o.log.warn({ err: err.message }, 'board relay cannot publish; other nodes catch up from the log');
				this.publishFailing = true;
			}
		);
	}

	private receive(channel: string, message: Buffer): void {
		if (!channel.startsWith(this.channelPrefix)) return;
		const boardId = channel.slice(this.channelPrefix.length);
		const document = this.boards.get(boardId);
		if (!document) return;
		let from: string, kind: number, payload: Uint8Array;
		try {
			const decoder = decoding.createDecoder(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
			from = decoding.readVarString(decoder);
			kind = decoding.readVarUint(decoder);
			payload = decoding.readVarUint8Array(decoder);
		} catch (err) {
			this.o.log.warn({ err, boardId }, 'undecodable board relay message');
			return;
		}
		// Redis delivers our own messages to our subscriber too.
		if (from === this.nodeId) return;
		switch (kind) {
			case Kind.Update:
				if (this.o.documents.applyRemote(boardId, payload, RELAY_ORIGIN)) this.o.onRelayed?.(boardId, payload);
				return;
			case Kind.Awareness:
				try {
					awarenessProtocol.applyAwarenessUpdate(document.awareness, payload, RELAY_ORIGIN);
				} catch (err) {
					this.o.log.warn({ err, boardId }, 'a relayed presence update does not apply');
				}
				return;
			case Kind.QueryAwareness: {
				const states = document.awareness.getStates();
				const ours = [...(this.local.get(boardId) ?? [])].filter((id) => states.has(id));
				if (ours.length) this.publish(boardId, Kind.Awareness, awarenessProtocol.encodeAwarenessUpdate(document.awareness, ours));
				return;
			}
		}
	}
}
