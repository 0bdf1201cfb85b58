import * as Y from 'yjs';
import { commitmentsOf, computedOf, readRaw } from '../../../src/lib/contract/board/board-doc.ts';
import { BOARD_MAPS } from '../../../src/lib/contract/board.ts';
import { cardEditRefusals, type CardRecord } from '../../../src/lib/policy/board-edit.policy.ts';
import { principalLabel, type Principal } from '../../auth/principal.ts';
import type { Logger } from '../../logger.ts';
import type { BoardDocuments } from '../yjs/board-documents.ts';
import type { BoardDocument, ConnectionOrigin, StagedUpdate, UpdateCheck, UpdateGate } from '../yjs/board-documents.types.ts';
import { touchesOf } from './board-changes.ts';
import { shapeRefusals, type DecodedUpdate } from './board-update.inspect.ts';

export interface BoardGateDeps {
	/** Claims a Yjs client id for an owner unless someone holds it; resolves to the owner on record. */
	claimClient(boardId: string, clientId: number, owner: string): Promise<string>;
	/** Card ids among `ids` that name a commitment of another board, with that board. */
	foreignCards(boardId: string, ids: string[]): Promise<Map<string, string>>;
	/** The board's sites (null: every site). */
	scopeOf(boardId: string): Promise<readonly string[] | null>;
	/** A refused update, for the cards' history. */
	onRefused?(refusal: { boardId: string; actor: string; reasons: string[]; cards: string[] }): void;
	log: Logger;
	/** Largest encoded document a client's update may produce (default 8 MiB). */
	maxDocumentBytes?: number;
}

interface Gated {
	/** Yjs client id → owner, as far as this node knows; the database has the last word. */
	owners: Map<number, string>;
	/** Yjs client id → the open connection writing under it. */
	writers: Map<number, ConnectionOrigin>;
	/** An upper bound of the encoded document size, made exact when it nears the cap. */
	approxBytes: number;
}

const SERVER_OWNER = 'server';
const MISSING = 'the update depends on changes the server does not have';

/** The owner key of a principal: stable across sessions, unlike a label. */
function ownerOf(p: Principal): string {
	return p.kind === 'user' ? `user:${p.userId}` : p.kind === 'token' ? `token:${p.tokenId}` : 'ingest';
}

/**
 * The server's authority over board documents: every client update, once tried on the staging
 * replica (BoardDocuments), is judged here — shape of every struct, field ownership, site scope, card
 * ids, client ids, size — before it reaches the live document. A refused update never reaches another
 * replica or Postgres; its author is told why and must resync, since its replica holds the refusal.
 */
export class BoardGate implements UpdateGate {
	private readonly boards = new Map<string, Gated>();
	private readonly maxDocumentBytes: number;

	constructor(
		private readonly documents: BoardDocuments,
		private readonly deps: BoardGateDeps
	) {
		this.maxDocumentBytes = deps.maxDocumentBytes ?? 8 * 1024 * 1024;
	}

	attach(): () => void {
		const offs = [
			this.documents.onLoad(({ boardId, doc }) => this.track(boardId, doc)),
			this.documents.onChange(({ boardId, update }) => {
				const gated = this.boards.get(boardId);
				if (gated) gated.approxBytes += update.byteLength;
			}),
			this.documents.onUnload((boardId) => this.boards.delete(boardId)),
			this.documents.useGate(this)
		];
		return () => offs.forEach((off) => off());
	}

	defineRoots(doc: Y.Doc): void {
		commitmentsOf(doc);
		computedOf(doc);
	}

	/** The asynchronous half: who owns the client ids and card ids, and the board's scope. */
	async prepare(document: BoardDocument, decoded: DecodedUpdate, origin: ConnectionOrigin): Promise<UpdateCheck> {
		const gated = this.boards.get(document.boardId);
		if (!gated) throw new Error(`board ${document.boardId} is not gated`);
		const refusals: string[] = [];
		const state = Y.decodeStateVector(Y.encodeStateVector(document.doc));
		const fresh = new Map<number, number>();
		let missing = false;
		for (const struct of decoded.structs) {
			const known = state.get(struct.id.client) ?? 0;
			if (struct.id.clock + struct.length <= known || fresh.has(struct.id.client)) continue;
			fresh.set(struct.id.client, struct.id.clock);
			if (struct.id.clock > known) missing = true;
		}
		if (missing) refusals.push(MISSING);
		const owner = ownerOf(origin.principal);
		for (const client of fresh.keys()) {
			const writer = gated.writers.get(client);
			if (writer && writer !== origin && !writer.closed) {
				refusals.push(`Yjs client id ${client} is in use by another connection`);
				continue;
			}
			let holder = gated.owners.get(client);
			if (holder === undefined) {
				holder = await this.deps.claimClient(document.boardId, client, owner);
				gated.owners.set(client, holder);
			}
			if (holder !== owner) refusals.push(`Yjs client id ${client} belongs to someone else`);
		}
		const newCards = newCardIds(document.doc, decoded);
		const [foreign, scope] = await Promise.all([this.deps.foreignCards(document.boardId, newCards), this.deps.scopeOf(document.boardId)]);
		for (const [id, board] of foreign) refusals.push(`card id ${id} belongs to board ${board}`);
		return { refusals, missing, scope, clients: [...fresh.keys()] };
	}

	/** The synchronous half, on the staged result right before the live document would take it. */
	judge(staged: StagedUpdate, prepared: UpdateCheck): string[] {
		const { document, origin } = staged;
		const gated = this.boards.get(document.boardId);
		if (!gated) throw new Error(`board ${document.boardId} is not gated`);
		const cards: string[] = [];
		const refusals = prepared.refusals.length ? prepared.refusals : this.inspect(gated, staged, prepared.scope, cards);
		if (refusals.length > 0) {
			this.deps.onRefused?.({ boardId: document.boardId, actor: principalLabel(origin.principal), reasons: refusals, cards });
			return refusals;
		}
		for (const client of prepared.clients) gated.writers.set(client, origin);
		return refusals;
	}

	/** Why the staged update is refused; fills `cards` with the cards it touched. */
	private inspect(gated: Gated, staged: StagedUpdate, scope: readonly string[] | null, cards: string[]): string[] {
		const { staging, transaction, decoded, document, origin, update } = staged;
		const shape = shapeRefusals(staging, decoded);
		if (shape.length) return shape;
		if (!transaction) return [];
		const touches = touchesOf(staging, transaction);
		if (touches.other) return ['only the commitments map may be changed'];
		if (touches.computed.size) return ['risk verdicts (computed) are written by the server only'];
		const role = origin.principal.kind === 'user' ? origin.principal.role : 'viewer';
		const out: string[] = [];
		for (const id of touches.cards.keys()) {
			cards.push(id);
			const replaced = replacedPart(document.doc, staging, id);
			if (replaced) out.push(`${id}: ${replaced}`);
			for (const r of cardEditRefusals(id, recordOf(document.doc, id), recordOf(staging, id), { role, scope })) out.push(`${id}: ${r.message}`);
		}
		if (out.length) return out;
		if (gated.approxBytes + update.byteLength > this.maxDocumentBytes) {
			gated.approxBytes = Y.encodeStateAsUpdate(staging).byteLength;
			if (gated.approxBytes > this.maxDocumentBytes) return [`the board would exceed its maximum size of ${this.maxDocumentBytes} bytes`];
		}
		return [];
	}

	private track(boardId: string, doc: Y.Doc): void {
		const owners = new Map<number, string>([[doc.clientID, SERVER_OWNER]]);
		this.boards.set(boardId, { owners, writers: new Map(), approxBytes: Y.encodeStateAsUpdate(doc).byteLength });
		// The server writes under its document's client id; nobody else may.
		this.deps.claimClient(boardId, doc.clientID, SERVER_OWNER).catch((err) => this.deps.log.error({ err, boardId }, 'claiming the server client id failed'));
	}
}

/**
 * A card, or its notes, swapped for a new instance: equal-looking values, but everything written
 * concurrently into the old one would be lost, so both are edited in place only.
 */
function replacedPart(live: Y.Doc, staged: Y.Doc, id: string): string | null {
	const before = commitmentsOf(live).get(id);
	const after = commitmentsOf(staged).get(id);
	if (!(before instanceof Y.Map) || !(after instanceof Y.Map)) return null;
	if (!sameItem(before, after)) return 'a card is never replaced; change its fields instead';
	const notes = before.get('notes');
	if (notes instanceof Y.Text && !sameItem(notes, after.get('notes'))) return 'notes are edited in place, never replaced';
	return null;
}

function sameItem(a: { _item: Y.Item | null }, b: unknown): boolean {
	const x = a._item?.id;
	const y = b instanceof Y.AbstractType ? b._item?.id : undefined;
	return !!x && !!y && x.client === y.client && x.clock === y.clock;
}

function recordOf(doc: Y.Doc, id: string): CardRecord | null {
	const card = commitmentsOf(doc).get(id);
	return card instanceof Y.Map ? readRaw(card) : null;
}

/** Ids the update puts directly under `commitments` that the live document does not hold yet. */
function newCardIds(live: Y.Doc, decoded: DecodedUpdate): string[] {
	const commitments = commitmentsOf(live);
	const ids = new Set<string>();
	for (const struct of decoded.structs) {
		if (struct instanceof Y.Item && (struct.parent as unknown) === BOARD_MAPS.commitments && typeof struct.parentSub === 'string' && !commitments.has(struct.parentSub)) {
			ids.add(struct.parentSub);
		}
	}
	return [...ids];
}
