import * as Y from 'yjs';
import type { Logger } from '../../logger.ts';
import type { BoardDocuments } from '../yjs/board-documents.ts';

/** Clock ranges [from, to) of one Yjs client, sorted and merged. */
type Ranges = [number, number][];

interface Pending {
	update: Uint8Array;
	clocks: Map<number, [number, number]>;
	at: number;
}

interface Board {
	/** What the stored log holds, per Yjs client: from the load, and every row read back since. */
	logged: Map<number, Ranges>;
	/** Updates other nodes relayed here, until the log shows them. */
	pending: Pending[];
}

export interface RescueOptions {
	/** How long a relayed update may stay out of the log before this node saves it (default 10 s). */
	rescueAfterMs?: number;
}

/**
 * The node that accepts an update saves it, within about 100 ms. If it dies in that window, the
 * update lives only in the memory of the nodes it was relayed to, and of clients that would not
 * send it again (they see the server has it). So every node keeps what others relayed until the
 * log it reads back (BoardCatchup) shows those structs, and saves whatever stays missing too long
 * itself; a duplicate row is harmless. Only inserted structs are checked: an update that only
 * deletes is not tracked.
 */
export class RelayedUpdates {
	private readonly boards = new Map<string, Board>();
	private readonly rescueAfterMs: number;

	constructor(
		private readonly documents: BoardDocuments,
		private readonly log: Logger,
		opts: RescueOptions = {}
	) {
		this.rescueAfterMs = opts.rescueAfterMs ?? 10_000;
	}

	attach(): () => void {
		const offs = [
			this.documents.onLoad(({ boardId, doc }) => {
				// Loaded from the log: everything in it so far is stored.
				const logged = new Map<number, Ranges>();
				for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) logged.set(client, [[0, clock]]);
				this.boards.set(boardId, { logged, pending: [] });
			}),
			this.documents.onUnload((boardId) => void this.boards.delete(boardId))
		];
		return () => offs.forEach((off) => off());
	}

	/** A row (or snapshot) of the board's log, read back from Postgres. */
	logged(boardId: string, update: Uint8Array): void {
		const board = this.boards.get(boardId);
		if (!board) return;
		for (const [client, range] of clocksOf(update)) board.logged.set(client, add(board.logged.get(client) ?? [], range));
	}

	/** An update another node relayed and this node applied. */
	relayed(boardId: string, update: Uint8Array): void {
		const board = this.boards.get(boardId);
		const clocks = clocksOf(update);
		if (board && clocks.size > 0) board.pending.push({ update, clocks, at: Date.now() });
	}

	/** Forgets what the log shows; saves what has been missing from it too long. */
	sweep(now = Date.now()): void {
		for (const [boardId, board] of this.boards) {
			const keep: Pending[] = [];
			for (const p of board.pending) {
				if ([...p.clocks].every(([client, range]) => covers(board.logged.get(client), range))) continue;
				if (now - p.at < this.rescueAfterMs) {
					keep.push(p);
					continue;
				}
				if (this.documents.saveRelayed(boardId, p.update)) {
					this.log.warn({ boardId, clients: [...p.clocks.keys()] }, 'a relayed board update never reached the log; saving it here');
					// Counted as logged from now on: the save is this node's own, retried until it lands.
					for (const [client, range] of p.clocks) board.logged.set(client, add(board.logged.get(client) ?? [], range));
				}
			}
			board.pending = keep;
		}
	}
}

function clocksOf(update: Uint8Array): Map<number, [number, number]> {
	const out = new Map<number, [number, number]>();
	try {
		const { from, to } = Y.parseUpdateMeta(update);
		for (const [client, start] of from) {
			const end = to.get(client) ?? start;
			if (end > start) out.set(client, [start, end]);
		}
	} catch {
		// Undecodable: nothing to track (it did not apply either).
	}
	return out;
}

function covers(ranges: Ranges | undefined, [from, to]: [number, number]): boolean {
	return !!ranges?.some(([a, b]) => a <= from && b >= to);
}

function add(ranges: Ranges, range: [number, number]): Ranges {
	const all = [...ranges, range].sort((x, y) => x[0] - y[0]);
	const merged: Ranges = [];
	for (const [a, b] of all) {
		const last = merged[merged.length - 1];
		if (last && a <= last[1]) last[1] = Math.max(last[1], b);
		else merged.push([a, b]);
	}
	return merged;
}
