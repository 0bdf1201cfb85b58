// Between a board card (document values) and a relational commitment record. Pure.
import { REQUIRED_CARD_KEYS, type CardValues } from '../board.ts';
import type { Commitment } from '../commitments.ts';
import { OPS_INITIAL } from '../../policy/commitment-fields.policy.ts';

/** Fields compared and recorded in a card's history, in display order. */
export const RECORD_FIELDS = ['customer', 'sku', 'qty', 'requestedDate', 'promisedDate', 'site', 'status', 'owner', 'priority', 'notes'] as const;
export type RecordField = (typeof RECORD_FIELDS)[number];

export function isComplete(card: CardValues): boolean {
	return REQUIRED_CARD_KEYS.every((k) => card[k] !== undefined && card[k] !== null);
}

/** The record a complete card stands for; missing optional keys take their initial values. */
export function cardToCommitment(board: string, id: string, card: CardValues): Commitment {
	return {
		id,
		board,
		customer: card.customer!,
		sku: card.sku!,
		qty: card.qty!,
		requestedDate: card.requestedDate!,
		promisedDate: card.promisedDate ?? OPS_INITIAL.promisedDate,
		site: card.site ?? OPS_INITIAL.site,
		status: card.status ?? OPS_INITIAL.status,
		owner: card.owner ?? null,
		priority: card.priority ?? 0,
		notes: card.notes ?? ''
	};
}

/** The card values of a record (everything but its identity). */
export function commitmentToCard(c: Commitment): CardValues {
	const { customer, sku, qty, requestedDate, promisedDate, site, status, owner, priority, notes } = c;
	return { customer, sku, qty, requestedDate, promisedDate, site, status, owner, priority, notes };
}

/** Only the keys of `next` whose values differ from `current`. */
export function changedValues(current: CardValues, next: CardValues): CardValues {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(next)) if ((current as Record<string, unknown>)[k] !== v) out[k] = v;
	return out as CardValues;
}

export interface FieldChange {
	field: RecordField;
	from: unknown;
	to: unknown;
}

/** What changed between two stored versions of a commitment (dates compared as YYYY-MM-DD). */
export function diffRecords(before: Commitment | null, after: Commitment): FieldChange[] {
	if (!before) return [];
	return RECORD_FIELDS.filter((f) => norm(before[f]) !== norm(after[f])).map((f) => ({ field: f, from: before[f], to: after[f] }));
}

function norm(v: unknown): unknown {
	if (v instanceof Date) return v.toISOString().slice(0, 10);
	return v ?? null;
}

export function sameRecord(before: Commitment | null, after: Commitment): boolean {
	return before !== null && before.board === after.board && diffRecords(before, after).length === 0;
}
