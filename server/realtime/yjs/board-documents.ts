import { setTimeout as sleep } from 'node:timers/promises';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { BoardServerState } from '../../../src/lib/contract/board.ts';
import type { Principal } from '../../auth/principal.ts';
import { Listeners } from './board-documents.events.ts';
import { BoardUpdateSaver } from './board-documents.saver.ts';
import {
	defaultCanWrite,
	isConnectionOrigin,
	MalformedMessageError,
	type BoardDocument,
	type BoardDocumentsOptions,
	type BoardStats,
	type ConnectionOrigin,
	isRemoteOrigin,
	type DocumentChange,
	type DocumentLease,
	type ReceiveResult,
	type RemoteOrigin,
	type ServerOrigin,
	type StagedUpdate,
	type UpdateCheck,
	type UpdateGate
} from './board-documents.types.ts';
import type { ChangeAuthors } from '../../repositories/board-documents.repository.ts';
import { CLOSE_CODES, isNoopUpdate } from './yjs.protocol.ts';

interface Entry extends BoardDocument {
	state: 'loading' | 'ready' | 'unloading';
	ready: Promise<void>;
	holders: number;
	saver: BoardUpdateSaver | null;
	unloadTimer: NodeJS.Timeout | null;
	/** A replica kept equal to `doc`: a client's update is tried here before the live document takes it. */
	staging: Y.Doc;
	/** The highest update log row the stored state this board loaded from covers. */
	loadedUpTo: number;
}

/** A row saved for a board: every update accepted on this node before the save is in it or earlier rows. */
export interface SavedRow {
	boardId: string;
	rowId: number;
}

/** Staging found structs that cannot integrate: a refusal, or a wait for the author's own sync. */
const WAITING = Symbol('waiting for missing structs');
const MISSING_DEPENDENCIES = 'the update depends on changes the server does not have';

/** The transport-free registry of loaded board documents, with their persistence and hooks. */
export class BoardDocuments {
	readonly canWrite: (principal: Principal) => boolean;
	private readonly entries = new Map<string, Entry>();
	private readonly loads: Listeners<BoardDocument>;
	private readonly changes: Listeners<DocumentChange>;
	private readonly unloads: Listeners<string>;
	private readonly saves: Listeners<SavedRow>;
	private authorsOf: ((change: DocumentChange) => ChangeAuthors | null) | null = null;
	private readonly opts: Required<Omit<BoardDocumentsOptions, 'canWrite'>>;
	private gate: UpdateGate | null = null;
	private closed = false;

	constructor(private readonly options: BoardDocumentsOptions) {
		this.canWrite = options.canWrite ?? defaultCanWrite;
		this.loads = new Listeners(options.log, 'load');
		this.changes = new Listeners(options.log, 'change');
		this.unloads = new Listeners(options.log, 'unload');
		this.saves = new Listeners(options.log, 'save');
		this.opts = {
			store: options.store,
			log: options.log,
			unloadGraceMs: options.unloadGraceMs ?? 30_000,
			flushDelayMs: options.flushDelayMs ?? 0,
			compactAfterUpdates: options.compactAfterUpdates ?? 500,
			retryBaseMs: options.retryBaseMs ?? 200,
			retryMaxMs: options.retryMaxMs ?? 10_000,
			maxUnsavedBytes: options.maxUnsavedBytes ?? 4 * 1024 * 1024
		};
	}

	/** After a board was loaded from storage, before any client is answered. */
	onLoad(listener: (document: BoardDocument) => void): () => void {
		return this.loads.add(listener);
	}

	/** Every change applied to a loaded board, whatever its origin, synchronously after it applied. */
	onChange(listener: (change: DocumentChange) => void, opts: { first?: boolean } = {}): () => void {
		return this.changes.add(listener, opts.first);
	}

	onUnload(listener: (boardId: string) => void): () => void {
		return this.unloads.add(listener);
	}

	/**
	 * The judge of every client update (BoardGate). Without one, writers' updates apply as they
	 * are, which only a trusted embedding (tests of the sync layer) may want.
	 */
	useGate(gate: UpdateGate): () => void {
		this.gate = gate;
		return () => {
			if (this.gate === gate) this.gate = null;
		};
	}

	// --- Several web nodes (server/realtime/board/board-relay.ts, board-catchup.ts, board-projection.ts)

	/** Every batch this node saved, once its log row is committed. */
	onSaved(listener: (saved: SavedRow) => void): () => void {
		return this.saves.add(listener);
	}

	/** Names who wrote what in each change this node saves; stored with the row for the card history. */
	useAuthors(fn: ((change: DocumentChange) => ChangeAuthors | null) | null): void {
		this.authorsOf = fn;
	}

	/** The highest log row id the board's stored state covered when it loaded (null: not loaded). */
	loadedUpTo(boardId: string): number | null {
		const entry = this.entries.get(boardId);
		return entry && entry.state !== 'loading' ? entry.loadedUpTo : null;
	}

	/**
	 * Applies an update another node accepted (and saves itself) or one read back from the log:
	 * broadcast to this node's clients and seen by onChange, never saved again here. False when the
	 * board is not loaded here or the update does not apply.
	 */
	applyRemote(boardId: string, update: Uint8Array, origin: RemoteOrigin): boolean {
		const entry = this.entries.get(boardId);
		if (!entry || entry.state === 'loading') return false;
		try {
			Y.applyUpdate(entry.doc, update, origin);
			return true;
		} catch (err) {
			this.options.log.warn({ err, boardId, from: origin.kind }, 'a relayed board update does not apply');
			return false;
		}
	}

	/**
	 * Saves an update this node applied as relayed but its author's node never stored (it died
	 * first), as if accepted here. False when the board is not loaded here.
	 */
	saveRelayed(boardId: string, update: Uint8Array): boolean {
		const saver = this.entries.get(boardId)?.saver;
		saver?.push(update);
		return !!saver;
	}

	isLoaded(boardId: string): boolean {
		const state = this.entries.get(boardId)?.state;
		return state === 'ready' || state === 'unloading';
	}

	loadedBoards(): string[] {
		return [...this.entries.values()].filter((e) => e.state !== 'loading').map((e) => e.boardId);
	}

	stats(boardId: string): BoardStats | null {
		const entry = this.entries.get(boardId);
		const saver = entry?.saver;
		return saver ? { holders: entry.holders, pendingUpdates: saver.pendingUpdates, rowsSinceSnapshot: saver.rowsSinceSnapshot, savingFails: saver.failing } : null;
	}

	/** Loads the board if needed (fully, before resolving) and keeps it loaded until released. */
	async acquire(boardId: string): Promise<DocumentLease> {
		if (this.closed) throw new Error('board documents are closed');
		let entry = this.entries.get(boardId);
		if (!entry) entry = this.startLoading(boardId);
		entry.holders++;
		this.clearUnloadTimer(entry);
		try {
			await entry.ready;
		} catch (err) {
			entry.holders--;
			throw err;
		}
		const held = entry;
		let released = false;
		return {
			document: held,
			release: () => {
				if (released) return;
				released = true;
				held.holders--;
				if (held.holders === 0) this.scheduleUnload(held);
			}
		};
	}

	/**
	 * The live document, loaded if needed. It may be unloaded once the grace period passes without
	 * holders: keep a lease (acquire) instead of the reference, and write through transact().
	 */
	async getDocument(boardId: string): Promise<Y.Doc> {
		const lease = await this.acquire(boardId);
		lease.release();
		return lease.document.doc;
	}

	/** Changes a board as the server: saved, broadcast and seen by onChange like any other change. */
	async transact<T>(boardId: string, fn: (doc: Y.Doc) => T, reason = 'server'): Promise<T> {
		const lease = await this.acquire(boardId);
		try {
			const { doc } = lease.document;
			const origin: ServerOrigin = { kind: 'server', reason };
			let result!: T;
			doc.transact(() => (result = fn(doc)), origin);
			return result;
		} finally {
			lease.release();
		}
	}

	/**
	 * Offers a client's update: decoded, judged by the gate, and only then applied with the
	 * connection as origin — so nothing refused is ever relayed or saved. A refused author is told
	 * why and closed (its replica holds the refused change). Throws MalformedMessageError for bytes
	 * that are no update.
	 */
	async receiveUpdate(document: BoardDocument, update: Uint8Array, origin: ConnectionOrigin, opts: { mayWait?: boolean } = {}): Promise<ReceiveResult> {
		let decoded: ReturnType<typeof Y.decodeUpdate>;
		try {
			// Decoding all of it first keeps a truncated update from half-applying.
			decoded = Y.decodeUpdate(update);
		} catch (cause) {
			throw new MalformedMessageError('undecodable update', { cause });
		}
		if (!origin.canWrite) {
			if (isNoopUpdate(document.doc, decoded)) return 'noop';
			origin.deny('read-only: this board cannot be changed with your access');
			return 'denied';
		}
		if (isNoopUpdate(document.doc, decoded)) return 'noop';
		const saver = this.entries.get(document.boardId)?.saver;
		if (saver?.failing && saver.unsavedBytes + update.byteLength > this.opts.maxUnsavedBytes) {
			// Memory stays bounded; nothing is lost: the client still holds the edit and resends it.
			origin.drop(CLOSE_CODES.tryAgainLater, 'saving is paused; your edits are kept and resent on reconnect');
			return 'denied';
		}
		const gate = this.gate;
		let prepared: UpdateCheck | null = null;
		try {
			prepared = gate ? await gate.prepare(document, decoded, origin) : null;
		} catch (err) {
			// The gate could not look something up (database away): not a verdict on the edit.
			this.options.log.warn({ err, boardId: document.boardId }, 'could not check a board update; the client resends it');
			origin.drop(CLOSE_CODES.tryAgainLater, 'cannot check this edit now; it is kept and resent on reconnect');
			return 'denied';
		}
		const entry = this.entries.get(document.boardId);
		if (!entry || entry.doc !== document.doc) throw new Error(`board ${document.boardId} is not loaded`);
		if (origin.closed) return 'denied';
		if (prepared?.missing && opts.mayWait) return 'waiting';
		// From here to the apply nothing awaits: the gate judges exactly the state the update meets.
		const refusals = this.stage(entry, update, decoded, origin, (staged) => (gate && prepared ? gate.judge(staged, prepared) : []));
		if (refusals === WAITING) return opts.mayWait ? 'waiting' : this.refuse(origin, [MISSING_DEPENDENCIES]);
		if (refusals.length > 0) return this.refuse(origin, refusals);
		try {
			Y.applyUpdate(entry.doc, update, origin);
		} catch (cause) {
			throw new MalformedMessageError('update does not apply', { cause });
		}
		return 'applied';
	}

	private refuse(origin: ConnectionOrigin, refusals: string[]): 'denied' {
		const reason = `Refused: ${refusals.join('; ')}`;
		origin.deny(reason);
		origin.drop(CLOSE_CODES.refusedUpdate, reason.slice(0, 120));
		return 'denied';
	}

	/**
	 * Tries a client's update on the staging replica; returns why it is refused. Structs that cannot
	 * integrate now are refused rather than kept pending: held, they would wait for someone else's
	 * update to carry them in. A refused update leaves staging rebuilt from the live document.
	 */
	private stage(entry: Entry, update: Uint8Array, decoded: StagedUpdate['decoded'], origin: ConnectionOrigin, judge: (staged: StagedUpdate) => string[]): string[] | typeof WAITING {
		let transaction: Y.Transaction | null = null;
		const capture = (tr: Y.Transaction) => (transaction = tr);
		entry.staging.on('afterTransaction', capture);
		let refusals: string[] | typeof WAITING;
		try {
			Y.applyUpdate(entry.staging, update, origin);
			const { pendingStructs, pendingDs } = entry.staging.store;
			refusals = pendingStructs || pendingDs ? WAITING : judge({ document: entry, staging: entry.staging, transaction, update, decoded, origin });
		} catch (cause) {
			this.restage(entry);
			throw new MalformedMessageError('update does not apply', { cause });
		} finally {
			entry.staging.off('afterTransaction', capture);
		}
		if (refusals === WAITING || refusals.length > 0) this.restage(entry);
		return refusals;
	}

	private restage(entry: Entry): void {
		entry.staging.destroy();
		entry.staging = this.newDoc();
		Y.applyUpdate(entry.staging, Y.encodeStateAsUpdate(entry.doc));
	}

	private newDoc(): Y.Doc {
		const doc = new Y.Doc();
		this.gate?.defineRoots(doc);
		return doc;
	}

	/** Resolves once every update this node accepted so far for the board is stored (retries included). */
	whenSaved(boardId: string): Promise<void> {
		return this.entries.get(boardId)?.saver?.whenSaved() ?? Promise.resolve();
	}

	/** Saves what is buffered; resolves with the last log row id saved by this node (null: not loaded). */
	async flush(boardId: string): Promise<number | null> {
		return (await this.entries.get(boardId)?.saver?.flush()) ?? null;
	}

	/** Saves every buffered update, retrying until `timeoutMs`; rejects naming the boards left unsaved. */
	async flushAll(timeoutMs = 10_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		const savers = [...this.entries.values()].flatMap((e) => (e.saver ? [[e.boardId, e.saver] as const] : []));
		const results = await Promise.allSettled(savers.map(([, w]) => this.flushUntil(w, deadline)));
		const failed = savers.filter((_, i) => results[i].status === 'rejected').map(([id]) => id);
		if (failed.length) throw new Error(`board updates not saved: ${failed.join(', ')}`);
	}

	/** Saves everything and drops every board from memory (graceful shutdown). */
	async close(timeoutMs = 10_000): Promise<void> {
		this.closed = true;
		try {
			await this.flushAll(timeoutMs);
		} finally {
			for (const entry of this.entries.values()) this.dispose(entry);
			this.entries.clear();
		}
	}

	private startLoading(boardId: string): Entry {
		const doc = this.newDoc();
		const awareness = new Awareness(doc);
		// The server has no presence of its own.
		awareness.setLocalState(null);
		const entry: Entry = {
			boardId, doc, awareness, state: 'loading', ready: Promise.resolve(), holders: 0,
			saver: null, unloadTimer: null, staging: this.newDoc(),
			loadedUpTo: 0
		};
		this.entries.set(boardId, entry);
		entry.ready = this.load(entry);
		return entry;
	}

	private async load(entry: Entry): Promise<void> {
		const { boardId, doc } = entry;
		try {
			const stored = await this.options.store.load(boardId);
			if (this.closed) throw new Error('board documents are closed');
			const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
			doc.transact(() => {
				for (const part of parts) {
					try {
						Y.applyUpdate(doc, part);
					} catch (err) {
						// Skipped, not deleted: compaction refuses to fold a board with a broken row.
						this.options.log.error({ err, boardId }, 'stored board update does not apply');
					}
				}
			}, 'load');
			entry.loadedUpTo = stored.lastId;
			entry.saver = new BoardUpdateSaver(boardId, this.options.store, this.opts, this.options.log, stored.updates.length, {
				onSaved: (rowId) => this.saves.emit({ boardId, rowId }, boardId),
				onFailingChange: (failing) =>
					entry.awareness.setLocalState(failing ? ({ server: { saving: 'retrying', since: new Date().toISOString() } } satisfies BoardServerState) : null)
			});
		} catch (err) {
			if (this.entries.get(boardId) === entry) this.entries.delete(boardId);
			entry.awareness.destroy();
			doc.destroy();
			this.options.log.error({ err, boardId }, 'loading board failed');
			throw err;
		}
		Y.applyUpdate(entry.staging, Y.encodeStateAsUpdate(doc));
		doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
			const change: DocumentChange = { boardId, doc, update, origin, transaction };
			// Another node's update is saved by that node; one read back from the log is stored already.
			if (!isRemoteOrigin(origin)) entry.saver?.push(update, this.authorsOf?.(change) ?? null);
			// A client's update was staged before it went live; everything else catches up here.
			if (!isConnectionOrigin(origin)) Y.applyUpdate(entry.staging, update);
			this.changes.emit(change, boardId);
		});
		entry.state = 'ready';
		this.loads.emit(entry, boardId);
	}

	private async flushUntil(saver: BoardUpdateSaver, deadline: number): Promise<void> {
		for (let attempt = 0; ; attempt++) {
			try {
				return void (await saver.flush());
			} catch (err) {
				const wait = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** attempt, deadline - Date.now());
				if (wait <= 0) throw err;
				await sleep(wait);
			}
		}
	}

	private scheduleUnload(entry: Entry): void {
		if (this.closed) return;
		this.clearUnloadTimer(entry);
		entry.unloadTimer = setTimeout(() => void this.unload(entry), this.opts.unloadGraceMs);
	}

	private clearUnloadTimer(entry: Entry): void {
		if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
		entry.unloadTimer = null;
	}

	private async unload(entry: Entry): Promise<void> {
		entry.unloadTimer = null;
		if (entry.holders > 0 || entry.state !== 'ready' || !entry.saver) return;
		entry.state = 'unloading';
		try {
			await entry.saver.flush();
			if (entry.saver.rowsSinceSnapshot > 0 && entry.holders === 0) await entry.saver.compact().catch(() => {});
		} catch {
			// Not saved: stay loaded; the saver retries and the next grace period tries again.
		}
		if (this.closed || this.entries.get(entry.boardId) !== entry) return;
		if (entry.holders > 0 || entry.saver.pendingUpdates > 0) {
			entry.state = 'ready';
			if (entry.holders === 0) this.scheduleUnload(entry);
			return;
		}
		this.entries.delete(entry.boardId);
		this.dispose(entry);
		this.unloads.emit(entry.boardId, entry.boardId);
	}

	private dispose(entry: Entry): void {
		this.clearUnloadTimer(entry);
		entry.saver?.stop();
		entry.awareness.destroy();
		entry.staging.destroy();
		entry.doc.destroy();
	}
}
