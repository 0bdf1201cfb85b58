import * as Y from 'yjs';
import { commitmentsOf, computedOf, isCardKey, NOT_TEXT, putCard, readRaw, writeCardValues } from '../../../src/lib/board/board-doc.ts';
import { CARD_KEYS, CARD_VALUE_SCHEMAS, type CardValues } from '../../../src/lib/contract/board.ts';
import { fieldViolations, OPS_INITIAL } from '../../../src/lib/policy/commitment-fields.policy.ts';
import { principalLabel, type Principal } from '../../auth/principal.ts';
import type { Logger } from '../../logger.ts';
import type { BoardDocuments } from '../yjs/board-documents.ts';
import { isConnectionOrigin, type DocumentChange, type ServerOrigin } from '../yjs/board-documents.types.ts';
import { touchesOf, type BoardTouches } from './board-changes.ts';

type Raw = Record<string, unknown>;

/** A forbidden edit that was undone, for the card's history. */
export interface RevertNote {
	boardId: string;
	id: string;
	actor: string;
	field: string;
	attempted: unknown;
}

export const REVERT_ORIGIN: ServerOrigin = { kind: 'server', reason: 'revert' };

/**
 * Field ownership and the document schema, enforced on every client edit. A veto before applying
 * would close the author (its later edits build on the refused clock range), so edits apply and
 * whatever the author's role may not do is written back by the server right after — in the same
 * applyUpdate, so every replica, the author's included, sees the revert — and the author is told why.
 * "Before" is a shadow of each card's last accepted values, kept per loaded board.
 */
export class BoardGuard {
	private readonly cards = new Map<string, Map<string, Raw>>();
	private readonly verdicts = new Map<string, Map<string, unknown>>();

	constructor(
		private readonly documents: BoardDocuments,
		private readonly onRevert: (note: RevertNote) => void,
		private readonly log: Logger
	) {}

	attach(): () => void {
		const offs = [
			this.documents.onLoad(({ boardId, doc }) => this.remember(boardId, doc)),
			this.documents.onChange((change) => this.check(change)),
			this.documents.onUnload((boardId) => (this.cards.delete(boardId), this.verdicts.delete(boardId)))
		];
		return () => offs.forEach((off) => off());
	}

	private remember(boardId: string, doc: Y.Doc): void {
		const cards = new Map<string, Raw>();
		for (const [id, card] of commitmentsOf(doc).entries()) if (card instanceof Y.Map) cards.set(id, readRaw(card));
		this.cards.set(boardId, cards);
		this.verdicts.set(boardId, new Map(computedOf(doc).entries()));
	}

	private check({ boardId, doc, origin, transaction }: DocumentChange): void {
		const cards = this.cards.get(boardId);
		const verdicts = this.verdicts.get(boardId);
		if (!cards || !verdicts) return;
		const touches = touchesOf(doc, transaction);
		if (!isConnectionOrigin(origin)) return this.refresh(doc, touches, cards, verdicts);

		const actor = principalLabel(origin.principal);
		const reverts: (() => void)[] = [];
		const messages: string[] = [];
		for (const id of touches.cards.keys()) {
			const found = this.checkCard(doc, id, cards.get(id) ?? null, origin.principal);
			if (found.next) cards.set(id, found.next);
			else cards.delete(id);
			if (!found.revert) continue;
			reverts.push(found.revert);
			for (const [field, why] of found.bad) {
				messages.push(`${id}: ${why}`);
				this.onRevert({ boardId, id, actor, field, attempted: found.attempted[field] });
			}
		}
		if (touches.computed.size > 0) {
			const computed = computedOf(doc);
			reverts.push(() => {
				for (const id of touches.computed) {
					const kept = verdicts.get(id);
					if (kept === undefined) computed.delete(id);
					else computed.set(id, kept);
				}
			});
			messages.push('risk verdicts (computed) are written by the server only');
		}
		if (reverts.length === 0) return;
		// Nested in this update's cleanup: Yjs runs it right after, before applyUpdate returns.
		doc.transact(() => reverts.forEach((r) => r()), REVERT_ORIGIN);
		this.log.info({ boardId, actor, messages }, 'reverted a forbidden board edit');
		origin.deny(`Reverted: ${messages.join('; ')}`);
	}

	/** The decision for one card: what to keep as its accepted state and how to undo the rest. */
	private checkCard(doc: Y.Doc, id: string, before: Raw | null, principal: Principal) {
		const role = principal.kind === 'user' ? principal.role : 'viewer';
		const value = commitmentsOf(doc).get(id);
		const bad = new Map<string, string>();
		if (!(value instanceof Y.Map)) {
			const removed = value === undefined;
			const violations = removed ? fieldViolations(role, before, null) : [{ field: '*', message: 'a commitment must be a map' }];
			if (!before && !removed) bad.set('*', 'a commitment must be a map');
			for (const v of before ? violations : []) bad.set(v.field, v.message);
			if (bad.size === 0) return { next: null, bad, attempted: {} as Raw, revert: null };
			const restore = before ? restorable(before) : null;
			return {
				next: before,
				bad,
				attempted: { '*': removed ? 'deleted' : value } as Raw,
				revert: () => (restore ? putCard(doc, id, restore) : commitmentsOf(doc).delete(id))
			};
		}
		const after = readRaw(value);
		for (const key of Object.keys(after)) if (!isCardKey(key)) bad.set(key, `${key} is not a commitment field`);
		for (const key of CARD_KEYS) {
			// Only what this edit changed is the author's doing (older data may predate the rules).
			if (before && after[key] === before[key]) continue;
			const why = invalid(key, after[key], before?.[key]);
			if (why) bad.set(key, why);
		}
		for (const v of fieldViolations(role, before, after)) {
			if (v.field !== '*') bad.set(v.field, v.message);
			else for (const key of new Set([...Object.keys(after), ...Object.keys(before ?? {})])) if (after[key] !== before?.[key]) bad.set(key, v.message);
		}
		if (bad.size === 0) return { next: after, bad, attempted: after, revert: null };
		const restored: Raw = {};
		for (const key of bad.keys()) {
			const kept = before?.[key];
			restored[key] = kept !== undefined && kept !== NOT_TEXT ? kept : !before && key in OPS_INITIAL ? OPS_INITIAL[key as keyof typeof OPS_INITIAL] : undefined;
		}
		const next: Raw = { ...after, ...restored };
		for (const [k, v] of Object.entries(restored)) if (v === undefined) delete next[k];
		return { next, bad, attempted: after, revert: () => writeCardValues(value, restored) };
	}

	/** Server and load changes are accepted as they are: the shadow follows the document. */
	private refresh(doc: Y.Doc, touches: BoardTouches, cards: Map<string, Raw>, verdicts: Map<string, unknown>): void {
		const commitments = commitmentsOf(doc);
		for (const id of touches.cards.keys()) {
			const card = commitments.get(id);
			if (card instanceof Y.Map) cards.set(id, readRaw(card));
			else cards.delete(id);
		}
		const computed = computedOf(doc);
		for (const id of touches.computed) {
			if (computed.has(id)) verdicts.set(id, computed.get(id));
			else verdicts.delete(id);
		}
	}
}

/** Why `value` may not be stored under `key`, or null. A key once set may change but not vanish. */
function invalid(key: (typeof CARD_KEYS)[number], value: unknown, before: unknown): string | null {
	if (value === undefined) return before !== undefined ? `${key} may not be removed` : null;
	if (value === NOT_TEXT) return 'notes must be collaborative text';
	const parsed = CARD_VALUE_SCHEMAS[key].safeParse(value);
	return parsed.success ? null : `${key}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`;
}

/** A shadow card as values putCard can write back (notes that were never text come back empty). */
function restorable(raw: Raw): CardValues {
	const out: Raw = {};
	for (const key of CARD_KEYS) if (raw[key] !== undefined) out[key] = raw[key] === NOT_TEXT ? '' : raw[key];
	return out as CardValues;
}
