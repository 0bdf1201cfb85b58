// The one Yjs harness of the Node tests and benches: the official y-websocket provider signed in by
// cookie or token, and a bare WebSocket peer that records every frame (for what no stock client sends).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { putCard } from '../../src/lib/contract/board/board-doc.ts';
import type { CardValues } from '../../src/lib/contract/board.ts';

export interface YjsAuth {
	cookie?: string;
	token?: string;
	/** The Origin header; by default the server's own (what a browser on the app sends); null sends none. */
	origin?: string | null;
}

export interface BoardClientOptions extends YjsAuth {
	/** Reconnect sooner than y-websocket's default backoff (up to 2.5 s), e.g. after a node dies. */
	maxBackoffTime?: number;
	/** Sees each upgrade answer (which node of a cluster served it, say). */
	onUpgrade?: (res: IncomingMessage) => void;
	/** false: made but not connected until `provider.connect()`. */
	connect?: boolean;
}

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

const httpBase = (url: string) => url.replace(/^ws/, 'http').replace(/\/yjs$/, '');

/** The official provider on `<url>/yjs/<board>`; `auth` is a session cookie or the options above. */
export function boardClient(url: string, board: string, auth: string | BoardClientOptions, doc = new Y.Doc()): BoardClient {
	const opts = typeof auth === 'string' ? { cookie: auth } : auth;
	// In Node every provider adds a process 'exit' listener; tests and benches run twenty and more.
	if (process.getMaxListeners() < 100) process.setMaxListeners(100);
	const headers = upgradeHeaders(url, opts);
	class AuthWebSocket extends WebSocket {
		constructor(address: string, protocols?: string | string[]) {
			super(address, protocols, { headers });
			if (opts.onUpgrade) this.on('upgrade', opts.onUpgrade);
		}
	}
	const provider = new WebsocketProvider(`${httpBase(url).replace('http', 'ws')}/yjs`, board, doc, {
		WebSocketPolyfill: AuthWebSocket as unknown as typeof globalThis.WebSocket,
		params: opts.token ? { token: opts.token } : {},
		// Same-process providers would otherwise sync over BroadcastChannel and bypass the server.
		disableBc: true,
		connect: opts.connect ?? true,
		...(opts.maxBackoffTime ? { maxBackoffTime: opts.maxBackoffTime } : {})
	});
	const denials: string[] = [];
	provider.messageHandlers[2] = (_encoder, decoder) => authProtocol.readAuthMessage(decoder, doc, (_d, reason) => denials.push(reason));
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		provider.on('sync', (s: boolean) => s && resolve());
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) => provider.on('closed', (e) => resolve({ code: e.code, reason: e.reason })));
	return { doc, provider, closed, commitments: doc.getMap('commitments'), computed: doc.getMap('computed'), denials, synced, destroy: () => provider.destroy() };
}

function upgradeHeaders(url: string, auth: YjsAuth): Record<string, string> {
	const headers: Record<string, string> = {};
	if (auth.cookie) headers.cookie = auth.cookie;
	const origin = auth.origin === undefined ? httpBase(url) : auth.origin;
	if (origin) headers.origin = origin;
	return headers;
}

export interface YjsPeer {
	ws: WebSocket;
	frames: Uint8Array[];
	/** The first frame from the server: the board was loaded and the peer let in. */
	answered: Promise<void>;
	closed: Promise<{ code: number; reason: string }>;
}

/** A bare WebSocket on `/yjs/<board>` (cookie or `?token=`), as any client could open it. */
export function yjsPeer(url: string, board: string, auth: YjsAuth = {}): YjsPeer {
	const query = auth.token ? `?token=${encodeURIComponent(auth.token)}` : '';
	const ws = new WebSocket(`${httpBase(url).replace('http', 'ws')}/yjs/${board}${query}`, { headers: upgradeHeaders(url, auth) });
	const frames: Uint8Array[] = [];
	let answer!: () => void;
	const answered = new Promise<void>((resolve) => (answer = resolve));
	ws.on('message', (d) => {
		frames.push(new Uint8Array(d as Buffer));
		answer();
	});
	ws.on('error', () => {});
	const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
	return { ws, frames, answered, closed };
}

/** Whether the peer was let in (a first frame) or refused (its close code), whichever comes first. */
export function outcome(p: YjsPeer): Promise<'open' | number> {
	return Promise.race([p.answered.then(() => 'open' as const), p.closed.then((c) => c.code)]);
}

/** A y-websocket frame: each number a varuint, each byte array length-prefixed. */
export function frame(...parts: (number | Uint8Array)[]): Uint8Array {
	const e = encoding.createEncoder();
	for (const p of parts) {
		if (typeof p === 'number') encoding.writeVarUint(e, p);
		else encoding.writeVarUint8Array(e, p);
	}
	return encoding.toUint8Array(e);
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
