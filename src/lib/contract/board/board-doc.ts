// Reading and writing the board document (CONTRACT.md "Board documents"). Used by the board UI and
// by the server (projection, field ownership, REST writes), so both agree on the layout.
import * as Y from 'yjs';
import { BOARD_MAPS, CARD_KEYS, type CardValues, type ComputedEntry } from '../board.ts';
import { NOT_TEXT } from '../../policy/board-edit.policy.ts';
import { setTextMinimal } from './text-diff.ts';

export { NOT_TEXT, isCardKey } from '../../policy/board-edit.policy.ts';

export const commitmentsOf = (doc: Y.Doc) => doc.getMap<unknown>(BOARD_MAPS.commitments);
export const computedOf = (doc: Y.Doc) => doc.getMap<unknown>(BOARD_MAPS.computed);

/** Every key of a card as stored, known or not (a Map: the keys are the client's choice). */
export function readRaw(card: Y.Map<unknown>): Map<string, unknown> {
	const out = new Map<string, unknown>();
	for (const [key, value] of card.entries()) {
		if (key === 'notes') out.set(key, value instanceof Y.Text ? value.toString() : NOT_TEXT);
		else out.set(key, value instanceof Y.AbstractType ? value.toJSON() : value);
	}
	return out;
}

/** The known keys of a card, for display and for the relational projection. */
export function readCard(card: Y.Map<unknown>): CardValues {
	const out = Object.create(null) as Record<string, unknown>;
	for (const key of CARD_KEYS) {
		const value = card.get(key);
		if (value === undefined) continue;
		if (key === 'notes') {
			if (value instanceof Y.Text) out.notes = value.toString();
		} else if (!(value instanceof Y.AbstractType)) out[key] = value;
	}
	return out as CardValues;
}

/** Writes the given keys into a card; notes change by a minimal splice so concurrent typing survives. */
export function writeCardValues(card: Y.Map<unknown>, values: CardValues | Record<string, unknown>): void {
	for (const [key, value] of Object.entries(values)) {
		if (value === undefined) {
			card.delete(key);
		} else if (key === 'notes') {
			const current = card.get('notes');
			if (current instanceof Y.Text) setTextMinimal(current, String(value));
			else card.set('notes', new Y.Text(String(value)));
		} else if (card.get(key) !== value) {
			card.set(key, value);
		}
	}
}

/** Adds (or replaces) card `id`; call inside a transaction so the card arrives whole. */
export function putCard(doc: Y.Doc, id: string, values: CardValues): Y.Map<unknown> {
	const card = new Y.Map<unknown>();
	commitmentsOf(doc).set(id, card);
	writeCardValues(card, { notes: '', ...values });
	return card;
}

export function cardOf(doc: Y.Doc, id: string): Y.Map<unknown> | null {
	const card = commitmentsOf(doc).get(id);
	return card instanceof Y.Map ? card : null;
}

/** Reads a `computed` entry, tolerating anything a broken writer left there. */
export function readComputed(value: unknown): ComputedEntry | null {
	if (typeof value !== 'object' || value === null) return null;
	const v = value as Partial<ComputedEntry>;
	if (typeof v.risk !== 'string') return null;
	return { risk: v.risk, shortQty: Number(v.shortQty) || 0, earliestDate: v.earliestDate ?? null, checkedAt: v.checkedAt ?? null };
}

/** Same verdict (the check time alone is no news worth a document write). */
export function sameVerdict(a: ComputedEntry | null, b: ComputedEntry | null): boolean {
	if (!a || !b) return a === b;
	return a.risk === b.risk && a.shortQty === b.shortQty && (a.earliestDate ?? null) === (b.earliestDate ?? null);
}
