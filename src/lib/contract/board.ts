// The board document schema (CONTRACT.md "Board documents"), shared by the board UI and the server.
// Plain data only: the Yjs helpers that read and write it live in $lib/board.
import type { z } from 'zod';
import { createCommitmentSchema, type Commitment } from './commitments.ts';
import type { IsoDate, Risk } from './domain.ts';

export const DEFAULT_BOARD = 'main';

/**
 * The WebSocket close code of a board connection whose update the server refused: nothing of it
 * was kept, but the author's replica holds it, so the author starts again from a fresh document.
 */
export const REFUSED_UPDATE_CLOSE = 4409;

/** Root types of a board document. */
export const BOARD_MAPS = { commitments: 'commitments', computed: 'computed' } as const;

/** The keys of a commitment's Y.Map; `notes` is a Y.Text, every other value is plain JSON. */
export const CARD_KEYS = ['customer', 'sku', 'qty', 'requestedDate', 'promisedDate', 'site', 'status', 'owner', 'priority', 'notes'] as const;
export type CardKey = (typeof CARD_KEYS)[number];

/** A commitment as the board holds it, with the notes read out of their Y.Text. Keys may be missing. */
export type CardValues = Partial<Omit<Commitment, 'id' | 'board'>>;

/** Keys a complete card must have before it is stored as a relational commitment. */
export const REQUIRED_CARD_KEYS = ['customer', 'sku', 'qty', 'requestedDate'] as const satisfies readonly CardKey[];

/** `computed` map values: the engine's verdict on a commitment, written by the server alone. */
export interface ComputedEntry {
	risk: Risk;
	shortQty: number;
	earliestDate: IsoDate | null;
	checkedAt: string | null;
}

const shape = createCommitmentSchema.shape;
/** Per-key validators of card values (the same rules as the REST body). */
export const CARD_VALUE_SCHEMAS: Record<CardKey, z.ZodType> = {
	customer: shape.customer,
	sku: shape.sku,
	qty: shape.qty,
	requestedDate: shape.requestedDate,
	promisedDate: shape.promisedDate.unwrap(),
	site: shape.site.unwrap(),
	status: shape.status.unwrap(),
	owner: shape.owner.unwrap(),
	priority: shape.priority.unwrap(),
	notes: shape.notes.unwrap()
};

/** Presence a board client publishes through awareness (`user` and `focus` fields). */
export interface BoardPresence {
	user: { name: string; email: string; role: string; color: string };
	/** The card the person has open (null: none) and the field they are typing in, if any. */
	focus: { card: string | null; field: CardKey | null; typing: boolean } | null;
}

/**
 * What the server publishes about a board through awareness (under its own client id), so every
 * client, a stock provider included, learns that edits are not being saved.
 */
export interface BoardServerState {
	server: { saving: 'retrying'; since: string };
}

export function isBoardServerState(state: unknown): state is BoardServerState {
	const server = (state as Partial<BoardServerState> | null)?.server;
	return typeof server === 'object' && server !== null && server.saving === 'retrying';
}

/** One row of a card's history (`GET /api/commitments/:id/history`, an extension of the contract). */
export interface CommitmentHistoryEntry {
	at: string;
	actor: string;
	/**
	 * `create`: first stored; `change`: a field changed; `refused`: the server refused an edit (the
	 * reasons in newValue); `revert`: a forbidden change undone after the fact (before refusals).
	 */
	kind: 'create' | 'change' | 'refused' | 'revert';
	field: string | null;
	oldValue: string | null;
	newValue: string | null;
}
