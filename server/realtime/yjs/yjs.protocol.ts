import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { REFUSED_UPDATE_CLOSE } from '../../../src/lib/contract/board.ts';

/** y-websocket message types (the first varuint of every frame). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/**
 * WebSocket close codes. The stock y-websocket client treats 4400–4499 as permanent (it stops
 * reconnecting and emits `closed`) and every other code as transient, so the choice of range is
 * the choice of whether the client retries.
 */
export const CLOSE_CODES = {
	/** The server is shutting down; the client reconnects to another node. */
	goingAway: 1001,
	/** Beyond the transport's hard cap (2 × maxMessageBytes) `ws` itself closes with this. */
	transportTooLarge: 1009,
	/** The peer does not read fast enough; it may reconnect and resync. */
	tryAgainLater: 1013,
	malformed: 4400,
	unauthorised: 4401,
	forbidden: 4403,
	/**
	 * The server refused an update (field ownership, schema, client id, size): nothing of it was
	 * stored or relayed, but the author's replica holds it, so the author must start from a fresh
	 * document (the board page does that by itself).
	 */
	refusedUpdate: REFUSED_UPDATE_CLOSE,
	messageTooLarge: 4413,
	tooManyMessages: 4429,
	internal: 4500,
	/** The peer sent updates whose dependencies never arrived; reconnecting resyncs it. */
	resync: 4501
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

export function syncStep1Message(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeSyncStep1(encoder, doc);
	return encoding.toUint8Array(encoder);
}

export function syncStep2Message(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
	encoding.writeVarUint8Array(encoder, encodeStateWithoutPending(doc, stateVector));
	return encoding.toUint8Array(encoder);
}

export function updateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	syncProtocol.writeUpdate(encoder, update);
	return encoding.toUint8Array(encoder);
}

export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
	return encoding.toUint8Array(encoder);
}

/** y-protocols/auth "permission denied": the stock client logs the reason and stays connected. */
export function permissionDeniedMessage(reason: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AUTH);
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarString(encoder, reason);
	return encoding.toUint8Array(encoder);
}

/**
 * Y.encodeStateAsUpdate also ships structs still waiting for their dependencies; a peer that sent
 * a gapped update would otherwise spread unintegrable structs to everyone who syncs meanwhile.
 */
export function encodeStateWithoutPending(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
	const { pendingStructs, pendingDs } = doc.store;
	doc.store.pendingStructs = null;
	doc.store.pendingDs = null;
	try {
		return Y.encodeStateAsUpdate(doc, stateVector);
	} finally {
		doc.store.pendingStructs = pendingStructs;
		doc.store.pendingDs = pendingDs;
	}
}

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/**
 * True when applying `decoded` would change nothing: every struct is already known and every
 * deletion already applied. A read-only client's sync step 2 always carries its whole delete set,
 * so "non-empty" is not the same as "an edit".
 */
export function isNoopUpdate(doc: Y.Doc, decoded: DecodedUpdate): boolean {
	const known = Y.decodeStateVector(Y.encodeStateVector(doc));
	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) continue;
		if (struct.id.clock + struct.length > (known.get(struct.id.client) ?? 0)) return false;
	}
	if (decoded.ds.clients.size === 0) return true;
	const deleted = Y.createDeleteSetFromStructStore(doc.store);
	for (const [client, items] of decoded.ds.clients) {
		const ranges = deleted.clients.get(client) ?? [];
		for (const item of items) {
			const covered = ranges.some((r) => r.clock <= item.clock && item.clock + item.len <= r.clock + r.len);
			if (!covered) return false;
		}
	}
	return true;
}
