// Board clients for Node tests: the official y-websocket WebsocketProvider, signed in by cookie.
import { createHash } from 'node:crypto';
import * as authProtocol from 'y-protocols/auth';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { putCard } from '../../src/lib/contract/board/board-doc.ts';
import type { CardValues } from '../../src/lib/contract/board.ts';

export interface BoardClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	commitments: Y.Map<Y.Map<unknown>>;
	computed: Y.Map<unknown>;
	/** Reasons the server sent with "permission denied" (reverted edits, read-only access). */
	denials: string[];
	/** Resolves when the server closes this provider for good (a 44xx close code). */
	closed: Promise<{ code: number; reason: string }>;
	synced: Promise<void>;
	destroy(): void;
}

/** A provider that sends `cookie` on its upgrade (browsers do that by themselves). */
export function boardClient(baseUrl: string, board: string, cookie: string, doc = new Y.Doc()): BoardClient {
	// In Node every provider adds a process 'exit' listener; tests and benches run twenty and more.
	if (process.getMaxListeners() < 100) process.setMaxListeners(100);
	class CookieWebSocket extends WebSocket {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie, origin: baseUrl } });
		}
	}
	const provider = new WebsocketProvider(`${baseUrl.replace('http', 'ws')}/yjs`, board, doc, {
		WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
		// Same-process providers would otherwise sync over BroadcastChannel and bypass the server.
		disableBc: true
	});
	const denials: string[] = [];
	provider.messageHandlers[2] = (_encoder, decoder) => authProtocol.readAuthMessage(decoder, doc, (_d, reason) => denials.push(reason));
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		provider.on('sync', (s: boolean) => s && resolve());
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) => provider.on('closed', (e) => resolve({ code: e.code, reason: e.reason })));
	return {
		doc,
		provider,
		closed,
		commitments: doc.getMap('commitments'),
		computed: doc.getMap('computed'),
		denials,
		synced,
		destroy: () => provider.destroy()
	};
}

export function addCard(client: { doc: Y.Doc }, id: string, values: CardValues): void {
	client.doc.transact(() => putCard(client.doc, id, values));
}

export const card = (client: BoardClient, id: string) => client.commitments.get(id);

/**
 * A fingerprint of a document's content and history: its JSON, its state vector and its delete set,
 * each in a canonical order, hashed. Two replicas with the same fingerprint hold the same document.
 */
export function docHash(doc: Y.Doc): string {
	// toJSON leaves out root types nobody has asked for yet (a freshly loaded doc): ask for ours.
	doc.getMap('commitments');
	doc.getMap('computed');
	const snapshot = Y.snapshot(doc);
	const sv = [...snapshot.sv.entries()].sort((a, b) => a[0] - b[0]);
	const ds = [...snapshot.ds.clients.entries()].sort((a, b) => a[0] - b[0]).map(([c, items]) => [c, items.map((i) => [i.clock, i.len])]);
	return createHash('sha256').update(JSON.stringify({ json: canonical(doc.toJSON()), sv, ds })).digest('hex');
}

function canonical(v: unknown): unknown {
	if (Array.isArray(v)) return v.map(canonical);
	if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, canonical(x)]));
	return v;
}
