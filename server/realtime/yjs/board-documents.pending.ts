import type * as Y from 'yjs';
import type { Logger } from '../../logger.ts';
import type { ConnectionOrigin } from './board-documents.types.ts';
import { CLOSE_CODES } from './yjs.protocol.ts';

/**
 * Structs whose dependencies have not arrived wait in the document store (Yjs keeps them and
 * integrates them later). That is legitimate for a moment — a reconnecting client may send a new
 * edit before the sync step 2 it builds on — but a peer that never sends the dependencies would
 * leave unintegrable bytes in memory for good, so they expire.
 */
export class PendingStructsGuard {
	private timer: NodeJS.Timeout | null = null;
	private readonly from = new Set<ConnectionOrigin>();

	constructor(
		private readonly boardId: string,
		private readonly doc: Y.Doc,
		private readonly timeoutMs: number,
		private readonly log: Logger
	) {}

	/** Called after every client update was applied. */
	check(origin: ConnectionOrigin): void {
		const { pendingStructs, pendingDs } = this.doc.store;
		if (!pendingStructs && !pendingDs) {
			this.from.clear();
			this.stop();
			return;
		}
		this.from.add(origin);
		this.timer ??= setTimeout(() => this.expire(), this.timeoutMs);
	}

	stop(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	private expire(): void {
		this.timer = null;
		const store = this.doc.store;
		if (store.pendingStructs || store.pendingDs) {
			this.log.warn({ boardId: this.boardId, from: [...this.from].map((o) => o.id) }, 'dropping structs whose dependencies never arrived');
			store.pendingStructs = null;
			store.pendingDs = null;
			// Their authors believe the server has those edits; reconnecting makes them resend.
			for (const origin of this.from) origin.drop(CLOSE_CODES.resync, 'missing update dependencies');
		}
		this.from.clear();
	}
}
