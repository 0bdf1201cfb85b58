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

/** Thrown by a beforeApply hook to refuse a client's update; the author is told `reason`. */
export class UpdateRejectedError extends Error {
	constructor(readonly reason: string) {
		super(reason);
		this.name = 'UpdateRejectedError';
	}
}

/** A client sent bytes that are not a valid message or update; its connection is closed as malformed. */
export class MalformedMessageError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'MalformedMessageError';
	}
}

export interface BeforeApplyContext {
	readonly document: BoardDocument;
	readonly update: Uint8Array;
	readonly origin: ConnectionOrigin;
}

/**
 * Runs before a writer's update is applied; throw UpdateRejectedError to refuse it. A refused update
 * cannot simply be dropped: the author's later edits build on its clock range and would never apply,
 * so the author is told why and closed with 4403 (its replica has diverged and must be reloaded).
 * Policies that can should let the update apply and revert it from onChange with a server
 * transaction instead — the revert reaches every replica, the author's included.
 */
export type BeforeApply = (context: BeforeApplyContext) => Promise<void> | void;

/** Default write policy: users with an editing role; every token is read-only. */
export function defaultCanWrite(principal: Principal): boolean {
	return principal.kind === 'user' && principal.role !== 'viewer';
}

/** Result of offering a client's update to a document. */
export type ReceiveResult = 'applied' | 'noop' | 'denied';

export interface BoardDocumentsOptions {
	store: BoardDocumentStore;
	log: Logger;
	/** How long a board without connections stays loaded (default 30 s). */
	unloadGraceMs?: number;
	/** How long accepted updates wait to be saved together (default 100 ms). */
	flushDelayMs?: number;
	/** Update rows after which the board is folded into its snapshot (default 500). */
	compactAfterUpdates?: number;
	retryBaseMs?: number;
	retryMaxMs?: number;
	/** How long structs may wait for missing dependencies before they are dropped (default 10 s). */
	pendingTimeoutMs?: number;
	canWrite?: (principal: Principal) => boolean;
	beforeApply?: BeforeApply;
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
