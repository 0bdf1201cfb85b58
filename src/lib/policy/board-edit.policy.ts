// What a client may do to one card of a board document. Pure: the server's board gate asks it for
// every card an update touches, before the update reaches anyone; property tests drive it directly.
import { CARD_KEYS, CARD_VALUE_SCHEMAS, REQUIRED_CARD_KEYS, type CardKey } from '../contract/board.ts';
import { COMMITMENT_ID_PATTERN } from '../contract/commitments.ts';
import type { Role } from '../contract/domain.ts';
import { fieldViolations, type CommitmentValues } from './commitment-fields.policy.ts';

/** What a card reader puts for notes that are not a Y.Text (a hand-crafted update). */
export const NOT_TEXT = Symbol('notes is not a Y.Text');

/**
 * A card as stored, key → plain value (notes as their text, or NOT_TEXT). A Map, never a plain
 * object: a client chooses the keys, and `__proto__` or `constructor` must stay mere keys.
 */
export type CardRecord = ReadonlyMap<string, unknown>;

export interface CardEditContext {
	role: Role;
	/** The board's sites; null: every site. */
	scope: readonly string[] | null;
}

export interface CardRefusal {
	/** A card key, or `*` for the card as a whole. */
	field: string;
	message: string;
}

const KNOWN = new Set<string>(CARD_KEYS);
export const isCardKey = (key: string): key is CardKey => KNOWN.has(key);

/**
 * Why the change of card `id` from `before` to `after` is refused (empty: allowed). `null` means the
 * card does not exist (before) or is gone or no map (after). Only what the edit changed is judged:
 * values stored before the rules existed do not block an unrelated edit.
 */
export function cardEditRefusals(id: string, before: CardRecord | null, after: CardRecord | null, ctx: CardEditContext): CardRefusal[] {
	if (ctx.role === 'viewer') return [{ field: '*', message: 'viewers cannot change commitments' }];
	if (after === null) {
		return [{ field: '*', message: before ? 'cards are never deleted; set status to cancelled instead' : 'a commitment must be a map of fields' }];
	}
	const out: CardRefusal[] = [];
	if (!before && !COMMITMENT_ID_PATTERN.test(id)) out.push({ field: '*', message: `card id ${JSON.stringify(id.slice(0, 140))} is not a valid commitment id` });
	for (const key of after.keys()) if (!isCardKey(key)) out.push({ field: key, message: `${key.slice(0, 64)} is not a commitment field` });
	if (!before) {
		const missing = REQUIRED_CARD_KEYS.filter((k) => after.get(k) === undefined);
		if (missing.length) out.push({ field: '*', message: `a new commitment needs ${missing.join(', ')}` });
	}
	for (const key of CARD_KEYS) {
		const value = after.get(key);
		if (before && Object.is(value, before.get(key))) continue;
		const why = invalidValue(key, value, before?.get(key));
		if (why) out.push({ field: key, message: why });
	}
	const site = after.get('site');
	if (ctx.scope && typeof site === 'string' && site !== before?.get('site') && !ctx.scope.includes(site)) {
		out.push({ field: 'site', message: `site ${site} is outside this board's sites (${ctx.scope.join(', ')})` });
	}
	for (const v of fieldViolations(ctx.role, before && known(before), known(after))) out.push({ field: v.field, message: v.message });
	return out;
}

/** Why `value` may not be stored under `key`, or null. A key once set may change but not vanish. */
export function invalidValue(key: CardKey, value: unknown, before: unknown): string | null {
	if (value === undefined) return before !== undefined ? `${key} may not be removed` : null;
	if (value === NOT_TEXT) return 'notes must be collaborative text';
	const parsed = CARD_VALUE_SCHEMAS[key].safeParse(value);
	return parsed.success ? null : `${key}: ${parsed.error.issues[0]?.message ?? 'invalid value'}`;
}

/** The contract's keys only, on a null-prototype object (what fieldViolations reads). */
function known(card: CardRecord): CommitmentValues {
	const out = Object.create(null) as Record<string, unknown>;
	for (const key of CARD_KEYS) if (card.has(key)) out[key] = card.get(key);
	return out;
}
