import * as Y from 'yjs';
import { commitmentsOf, computedOf } from '../../../src/lib/contract/board/board-doc.ts';

type Node = (typeof Y.Transaction.prototype.changed extends Map<infer T, unknown> ? T : never);

/** `*`: the card itself was added, replaced or deleted (every key may differ). */
export const WHOLE_CARD = '*';

export interface BoardTouches {
	/** commitment id → keys of its card that changed (or WHOLE_CARD). */
	cards: Map<string, Set<string>>;
	/** ids whose `computed` entry changed. */
	computed: Set<string>;
	/** Something outside the contract's two maps changed. */
	other: boolean;
}

/**
 * What a transaction touched, read from `transaction.changed` (types that existed before it and
 * the keys that changed in them). Any depth is traced back to its card, so a crafted update that
 * nests types under a card key still names that card and key.
 */
export function touchesOf(doc: Y.Doc, transaction: Y.Transaction): BoardTouches {
	// Compared by identity only.
	const commitments: unknown = commitmentsOf(doc);
	const computed: unknown = computedOf(doc);
	const out: BoardTouches = { cards: new Map(), computed: new Set(), other: false };
	const touch = (id: string, key: string) => {
		let keys = out.cards.get(id);
		if (!keys) out.cards.set(id, (keys = new Set()));
		keys.add(key);
	};
	for (const [type, keys] of transaction.changed) {
		if (type === commitments) {
			for (const key of keys) if (key !== null) touch(key, WHOLE_CARD);
			continue;
		}
		if (type === computed) {
			for (const key of keys) if (key !== null) out.computed.add(key);
			continue;
		}
		// Walk up: chain[0] is the changed type, the last entry a root type.
		const chain: Node[] = [type];
		for (let t = type; t._item && t._item.parent instanceof Y.AbstractType; ) chain.push((t = t._item.parent));
		const root = chain[chain.length - 1];
		const top = chain[chain.length - 2]?._item?.parentSub;
		if (root === commitments && top) {
			if (chain.length === 2) for (const key of keys) touch(top, key ?? WHOLE_CARD);
			else touch(top, chain[chain.length - 3]._item?.parentSub ?? WHOLE_CARD);
		} else if (root === computed && top) {
			out.computed.add(top);
		} else {
			out.other = true;
		}
	}
	return out;
}
