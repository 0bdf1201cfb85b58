// A person typing on the board through a fault: the official y-websocket provider on one web node,
// appending a numbered token to a card's notes every 150 ms. The ledger is every token typed; the
// stored board (snapshot plus update log, folded) must hold each one once the fault has passed.
import type postgres from 'postgres';
import * as Y from 'yjs';
import { boardClient, type BoardClient } from '../../support/yjs.ts';

export class BoardEditor {
	readonly typed: string[] = [];
	private client: BoardClient;
	private timer: NodeJS.Timeout | null = null;

	constructor(
		url: string,
		cookie: string,
		private readonly cardId: string
	) {
		this.client = boardClient(url, 'main', cookie);
	}

	get synced(): Promise<void> {
		return this.client.synced;
	}

	/** Starts typing tokens `<prefix><n>;` at the end of the card's notes. */
	start(prefix: string): void {
		let n = 0;
		this.timer = setInterval(() => {
			const notes = this.client.commitments.get(this.cardId)?.get('notes');
			if (!(notes instanceof Y.Text)) return;
			const token = `${prefix}${n++};`;
			notes.insert(notes.length, token);
			this.typed.push(token);
		}, 150);
	}

	/** What the server told this editor, and how it last closed: for a failure's message. */
	get story(): string {
		return JSON.stringify({ denials: this.client.denials, connected: this.client.provider.wsconnected, shouldConnect: this.client.provider.shouldConnect });
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	close(): void {
		this.stop();
		this.client.destroy();
	}
}

/** The notes of a card as Postgres holds the board: its snapshot and every update row after it. */
export async function storedNotes(sql: postgres.Sql, cardId: string): Promise<string> {
	const [snap] = await sql<{ state: Buffer; upto_id: number }[]>`select state, upto_id from board_snapshots where board_id = 'main'`;
	const rows = await sql<{ update: Buffer }[]>`select update from board_updates where board_id = 'main' and id > ${snap?.upto_id ?? 0} order by id`;
	const doc = new Y.Doc();
	if (snap) Y.applyUpdate(doc, new Uint8Array(snap.state));
	for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.update));
	const notes = (doc.getMap('commitments').get(cardId) as Y.Map<unknown> | undefined)?.get('notes');
	const text = notes instanceof Y.Text ? notes.toString() : '';
	doc.destroy();
	return text;
}
