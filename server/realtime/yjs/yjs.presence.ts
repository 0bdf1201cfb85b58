import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { colorFor } from '../../../src/lib/board/presence-color.ts';
import type { BoardPresence } from '../../../src/lib/contract/board.ts';
import { COMMITMENT_ID_PATTERN } from '../../../src/lib/contract/commitments.ts';
import { isCardKey } from '../../../src/lib/policy/board-edit.policy.ts';
import type { Principal } from '../../auth/principal.ts';

/** Largest presence state a client may publish (JSON characters). */
export const MAX_PRESENCE_CHARS = 2048;

export interface PresenceEntry {
	clientId: number;
	clock: number;
	state: BoardPresence | null;
}

/**
 * A client's awareness message, rewritten: it speaks only for its own awareness client id (the
 * first one it announces that no other connection holds), and who it is — name, e-mail, role —
 * comes from the server's principal, never from the client. Only `focus` is the client's to say,
 * and only in the shape the board uses. Entries for other ids are dropped without a word: the stock
 * provider echoes every peer's presence it hears, so an honest client sends them too.
 */
export function sanitizePresence(update: Uint8Array, principal: Principal, own: Set<number>, takenByOthers: (clientId: number) => boolean): PresenceEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	const out: PresenceEntry[] = [];
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const json = decoding.readVarString(decoder);
		if (json.length > MAX_PRESENCE_CHARS) continue;
		const raw: unknown = JSON.parse(json);
		if (!own.has(clientId) && (own.size > 0 || raw === null || takenByOthers(clientId))) continue;
		out.push({ clientId, clock, state: raw === null ? null : { user: userOf(principal, raw), focus: focusOf(raw) } });
	}
	return out;
}

export function encodePresence(entries: PresenceEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const e of entries) {
		encoding.writeVarUint(encoder, e.clientId);
		encoding.writeVarUint(encoder, e.clock);
		encoding.writeVarString(encoder, JSON.stringify(e.state));
	}
	return encoding.toUint8Array(encoder);
}

function userOf(p: Principal, raw: unknown): BoardPresence['user'] {
	const sent = field(raw, 'user');
	const color = field(sent, 'color');
	const name = p.kind === 'user' ? p.name || p.email : p.kind === 'token' ? p.name : 'ingest';
	const email = p.kind === 'user' ? p.email : '';
	const role = p.kind === 'user' ? p.role : 'display';
	return { name, email, role, color: typeof color === 'string' && /^#[0-9a-fA-F]{6}$/.test(color) ? color : colorFor(email || name) };
}

function focusOf(raw: unknown): BoardPresence['focus'] {
	const focus = field(raw, 'focus');
	if (focus === undefined || focus === null) return null;
	const card = field(focus, 'card');
	const name = field(focus, 'field');
	return {
		card: typeof card === 'string' && COMMITMENT_ID_PATTERN.test(card) ? card : null,
		field: typeof name === 'string' && isCardKey(name) ? name : null,
		typing: field(focus, 'typing') === true
	};
}

/** An own property of a parsed JSON value (never one inherited through `__proto__`). */
function field(value: unknown, key: string): unknown {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}
