import * as Y from 'yjs';
import { commitmentsOf, computedOf } from '../../../src/lib/contract/board/board-doc.ts';
import { CARD_VALUE_SCHEMAS } from '../../../src/lib/contract/board.ts';
import { COMMITMENT_ID_PATTERN } from '../../../src/lib/contract/commitments.ts';
import { isCardKey } from '../../../src/lib/policy/board-edit.policy.ts';

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;
type Content = Y.Item['content'];

/**
 * The shape rules of a board document, checked struct by struct: every item a client sends must sit
 * where the schema has room for it (a card map under `commitments`, a known key in a card, plain
 * characters in `notes`), whatever it ends up as. Judging structs rather than the visible result
 * also catches what a crafted update hides: content written into a deleted card, values overwritten
 * within the same update, formatting that renders as nothing. `staged` is a document the update was
 * applied to, so every item's parent is resolved the way Yjs resolved it.
 */
export function shapeRefusals(staged: Y.Doc, decoded: DecodedUpdate): string[] {
	const out = new Set<string>();
	const commitments: unknown = commitmentsOf(staged);
	const computed: unknown = computedOf(staged);
	for (const struct of decoded.structs) {
		if (struct instanceof Y.Skip) {
			out.add('the update has gaps');
			continue;
		}
		// GC structs carry no content: a range of deleted history, harmless anywhere.
		if (!(struct instanceof Y.Item)) continue;
		const placed = Y.getItem(staged.store, struct.id);
		if (!(placed instanceof Y.Item)) continue;
		const why = placementRefusal(placed, struct.content, commitments, computed);
		if (why) out.add(why);
		if (out.size >= 5) break;
	}
	return [...out];
}

function placementRefusal(item: Y.Item, content: Content, commitments: unknown, computed: unknown): string | null {
	const parent = item.parent;
	if (!(parent instanceof Y.AbstractType)) return 'an item without a parent';
	if (parent === computed) return 'risk verdicts (computed) are written by the server only';
	if (parent === commitments) return cardPlacement(item, content);
	// The item that holds `parent`: a card (under commitments) or a card's notes field.
	const holder = parent._item;
	if (holder === null) return 'only the commitments map may be changed; no new top-level types';
	if (parent instanceof Y.Map && holder.parent === commitments) return fieldPlacement(item, content);
	const cardItem = holder.parent instanceof Y.Map ? holder.parent._item : null;
	if (parent instanceof Y.Text && holder.parentSub === 'notes' && cardItem?.parent === commitments) return notesPlacement(item, content);
	return 'nothing may be nested below a card field';
}

function cardPlacement(item: Y.Item, content: Content): string | null {
	if (item.parentSub === null) return 'commitments is a map of cards';
	if (!COMMITMENT_ID_PATTERN.test(item.parentSub)) return `card id ${JSON.stringify(item.parentSub.slice(0, 140))} is not a valid commitment id`;
	if (content instanceof Y.ContentDeleted) return null;
	if (content instanceof Y.ContentType && content.type instanceof Y.Map) return null;
	return 'a commitment must be a map of fields';
}

function fieldPlacement(item: Y.Item, content: Content): string | null {
	const key = item.parentSub;
	if (key === null) return 'a card is a map of fields';
	if (!isCardKey(key)) return `${key.slice(0, 64)} is not a commitment field`;
	if (content instanceof Y.ContentDeleted) return null;
	if (key === 'notes') return content instanceof Y.ContentType && content.type instanceof Y.Text ? null : 'notes must be collaborative text';
	if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) return `${key} must be a plain value`;
	const parsed = CARD_VALUE_SCHEMAS[key].safeParse(content.arr[0]);
	return parsed.success ? null : `${key}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`;
}

function notesPlacement(item: Y.Item, content: Content): string | null {
	if (item.parentSub !== null) return 'notes are text, not a map';
	if (content instanceof Y.ContentString || content instanceof Y.ContentDeleted) return null;
	return 'notes are plain text: no formatting, embeds or nested types';
}
