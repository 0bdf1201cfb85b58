import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Principal } from '../../auth/principal.ts';
import type { Logger } from '../../logger.ts';
import type { BoardDocumentStore } from '../../repositories/board-documents.repository.ts';

/** A loaded board: the CRDT document and its presence (awareness) states. */
export interface BoardDocument {
	readonly boardId: string;
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
}

/**
 * The transaction origin of every update a client sends. Server code that observes the document
 * (onChange, or its own observers on `doc`) recognises client edits by it and can answer the
 * author, e.g. when it reverts a change the author's role may not make.
 */
export interface ConnectionOrigin {
	readonly kind: 'connection';
	readonly id: string;
	readonly boardId: string;
	readonly principal: Principal;
	readonly canWrite: boolean;
	/** Set once the connection closed: its claims on Yjs client ids lapse. */
	readonly closed: boolean;
	/** Tells the author why a change was refused (y-protocols auth message; the connection stays). */
	deny(reason: string): void;
	/** Closes the connection with a code from CLOSE_CODES. */
	drop(code: number, reason: string): void;
}

/** The origin of server-made changes (`documents.transact`); never subject to client policy. */
export interface ServerOrigin {
	readonly kind: 'server';
	readonly reason: string;
}

/**
 * An update that reached this node from elsewhere: another node's accepted update relayed through
 * Redis, or a row read back from the stored log (catch-up). Applied and broadcast, never saved or
 * relayed again.
 */
export interface RemoteOrigin {
	readonly kind: 'relay' | 'catchup';
}

export function isRemoteOrigin(origin: unknown): origin is RemoteOrigin {
	const kind = typeof origin === 'object' && origin !== null ? (origin as { kind?: unknown }).kind : undefined;
	return kind === 'relay' || kind === 'catchup';
}

export function isConnectionOrigin(origin: unknown): origin is ConnectionOrigin {
	return typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'connection';
}

export function isServerOrigin(origin: unknown): origin is ServerOrigin {
	return typeof origin === 'object' && origin !== null && (origin as { kind?: unknown }).kind === 'server';
}

/** One accepted change, after it was applied (and before it is saved or broadcast). */
export interface DocumentChange {
	readonly boardId: string;
	readonly doc: Y.Doc;
	readonly update: Uint8Array;
	/** A ConnectionOrigin, a ServerOrigin, or whatever origin server code passed to doc.transact. */
	readonly origin: unknown;
	readonly transaction: Y.Transaction;
}

/** A client sent bytes that are not a valid message or update; its connection is closed as malformed. */
export class MalformedMessageError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'MalformedMessageError';
	}
}

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** What the asynchronous half of a gate learnt about an update (see BoardGate). */
export interface UpdateCheck {
	refusals: string[];
	/** The update has a gap in some client's clocks (structs before it are missing). */
	missing?: boolean;
	scope: readonly string[] | null;
	/** Yjs client ids the update writes new structs under. */
	clients: number[];
}

/** A client's update as tried on the staging replica, before the live document takes it. */
export interface StagedUpdate {
	readonly document: BoardDocument;
	/** The replica the update was applied to: what the live document would become. */
	readonly staging: Y.Doc;
	/** The staging transaction (`changed` names what the update touched); null if it changed nothing. */
	readonly transaction: Y.Transaction | null;
	readonly update: Uint8Array;
	readonly decoded: DecodedUpdate;
	readonly origin: ConnectionOrigin;
}

/**
 * Judges every client update before the live document takes it: `prepare` may look things up,
 * `judge` runs synchronously on the staged result right before the update would apply and returns
 * why it is refused (empty: accepted, and it applies at once).
 */
export interface UpdateGate {
	/**
	 * Declares the document's root types on every document the registry makes (live and staging).
	 * A root type first met inside an update is created untyped and swapped for its typed instance
	 * when asked for: observers comparing types by identity would miss the first change.
	 */
	defineRoots(doc: Y.Doc): void;
	prepare(document: BoardDocument, decoded: DecodedUpdate, origin: ConnectionOrigin): Promise<UpdateCheck>;
	judge(staged: StagedUpdate, prepared: UpdateCheck): string[];
}

/** Default write policy: users with an editing role; every token is read-only. */
export function defaultCanWrite(principal: Principal): boolean {
	return principal.kind === 'user' && principal.role !== 'viewer';
}

/** Result of offering a client's update to a document. */
/**
 * `waiting`: the update builds on structs the server does not have yet, and its author may still send
 * them (its own sync step 2 is on the way): nothing of it was kept; the connection offers it again.
 */
export type ReceiveResult = 'applied' | 'noop' | 'denied' | 'waiting';

export interface BoardDocumentsOptions {
	store: BoardDocumentStore;
	log: Logger;
	/** How long a board without connections stays loaded (default 30 s). */
	unloadGraceMs?: number;
	/**
	 * How long accepted updates wait to be saved together (default 0: saved at once). Updates that
	 * arrive while a save is running are saved together right after it, so batching comes from the
	 * database's own pace; a fixed wait only added its length to every edit's way to Postgres
	 * (issue 12: edit → row p50 215 → 54 ms under the feed).
	 */
	flushDelayMs?: number;
	/** Update rows after which the board is folded into its snapshot (default 500). */
	compactAfterUpdates?: number;
	retryBaseMs?: number;
	retryMaxMs?: number;
	canWrite?: (principal: Principal) => boolean;
	/**
	 * Unsaved bytes a board may hold while saving fails (default 4 MiB); past it client updates are
	 * turned away with 1013 — the client keeps them and resends them when it reconnects.
	 */
	maxUnsavedBytes?: number;
}

/** Holds a board loaded until released; connections and long-running server code take one. */
export interface DocumentLease {
	readonly document: BoardDocument;
	release(): void;
}

export interface BoardStats {
	holders: number;
	pendingUpdates: number;
	rowsSinceSnapshot: number;
	savingFails: boolean;
}
