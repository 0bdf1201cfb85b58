import { getContext, setContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import * as authProtocol from 'y-protocols/auth';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { isBoardServerState, REFUSED_UPDATE_CLOSE, type BoardPresence, type CardValues, type ComputedEntry } from '$lib/contract/board';
import { cardOf, commitmentsOf, computedOf, putCard, readCard, readComputed, writeCardValues } from '../contract/board/board-doc.ts';
import { BestOptions } from './best-options.svelte';
import { BoardSignals } from './board-signals.svelte';
import { BoardPresenceState } from './presence.svelte';

export interface BoardCard extends CardValues {
	id: string;
}

export type BoardConnection = 'connected' | 'connecting' | 'disconnected';

/** Our own edits; remote ones (other people, the server) have other origins. */
const LOCAL = Symbol('local edit');

/**
 * One board document in the browser: the stock y-websocket provider on /yjs/<board> (same origin,
 * the session cookie authenticates it), the cards and verdicts as reactive maps, and presence.
 * The server has the last word on every edit: when it refuses one, nothing of it reached anyone
 * else, and this replica starts again from the server's document (our refused change disappears).
 */
export class BoardStore {
	readonly cards = new SvelteMap<string, BoardCard>();
	readonly verdicts = new SvelteMap<string, ComputedEntry>();
	readonly presence: BoardPresenceState;
	/** Best-option one-liners of troubled cards, shared by cards and table rows. */
	readonly bestOptions = new BestOptions();
	/** Demand signals on the board's SKU×sites (seeded by the page, refreshed while open). */
	readonly signals = new BoardSignals();
	/** Replaced by a fresh one when the server refuses one of our updates. */
	doc = $state.raw(new Y.Doc());
	connection = $state<BoardConnection>('connecting');
	synced = $state(false);
	lastUpdateAt = $state<number | null>(null);
	/** Since when the server has failed to save this board's edits (it keeps retrying), or null. */
	unsavedSince = $state<string | null>(null);
	/** Why the server closed us for good (4xx close code), if it did. */
	closedReason = $state<string | null>(null);
	private provider: WebsocketProvider | null = null;
	private cleanups: (() => void)[] = [];

	constructor(
		readonly boardId: string,
		user: BoardPresence['user'],
		private readonly onNotice: (message: string) => void
	) {
		this.presence = new BoardPresenceState(user);
	}

	connect(): void {
		if (!this.provider) this.open();
	}

	private open(): void {
		const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
		// No BroadcastChannel: tabs would sync directly and skip the server's field-ownership checks.
		const provider = new WebsocketProvider(url, this.boardId, this.doc, { disableBc: true });
		this.provider = provider;
		provider.messageHandlers[2] = (_encoder, decoder) =>
			authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) => this.onNotice(reason));
		provider.on('status', ({ status }) => {
			this.connection = status === 'connected' ? (provider.synced ? 'connected' : 'connecting') : status;
		});
		provider.on('sync', (synced: boolean) => {
			this.synced = this.synced || synced;
			if (synced) this.connection = 'connected';
		});
		provider.on('closed', ({ code, reason }) => {
			if (code === REFUSED_UPDATE_CLOSE) this.restart();
			else this.closedReason = reason || 'the server closed the board';
		});

		const commitments = commitmentsOf(this.doc);
		const onCards = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
			// A scratch set for this batch of events, not state.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			const ids = new Set<string>();
			for (const e of events) {
				if (e.target === commitments) for (const key of e.keys.keys()) ids.add(key);
				else if (typeof e.path[0] === 'string') ids.add(e.path[0]);
			}
			ids.forEach((id) => this.refreshCard(id));
		};
		const computed = computedOf(this.doc);
		const onVerdicts = (e: Y.YMapEvent<unknown>) => e.keysChanged.forEach((id) => this.refreshVerdict(id));
		const onUpdate = () => (this.lastUpdateAt = Date.now());
		const onAwareness = () => {
			const server = [...provider.awareness.getStates().values()].find(isBoardServerState);
			this.unsavedSince = server ? server.server.since : null;
		};
		provider.awareness.on('change', onAwareness);
		commitments.observeDeep(onCards);
		computed.observe(onVerdicts);
		this.doc.on('update', onUpdate);
		const detachPresence = this.presence.attach(provider.awareness);
		this.cleanups.push(() => provider.awareness.off('change', onAwareness), () => commitments.unobserveDeep(onCards), () => computed.unobserve(onVerdicts), () => this.doc.off('update', onUpdate), detachPresence);
		this.exposeForTests();
	}

	destroy(): void {
		this.cleanups.forEach((c) => c());
		this.cleanups = [];
		this.provider?.destroy();
		this.provider = null;
		this.connection = 'disconnected';
	}

	/** Our replica holds a change the server refused (it told us why): start over from the server's. */
	private restart(): void {
		this.destroy();
		this.doc.destroy();
		this.doc = new Y.Doc();
		this.cards.clear();
		this.verdicts.clear();
		this.connection = 'connecting';
		this.open();
	}

	/** Adds a card (one transaction, so it arrives whole); returns its id. */
	create(values: CardValues): string {
		const id = `c-${crypto.randomUUID()}`;
		this.doc.transact(() => putCard(this.doc, id, values), LOCAL);
		return id;
	}

	/** Changes the given fields of a card; those equal to what it holds are not sent. */
	update(id: string, values: CardValues): void {
		const card = cardOf(this.doc, id);
		if (card) this.doc.transact(() => writeCardValues(card, values), LOCAL);
	}

	/** The collaborative notes of a card (bound to a textarea with bindText). */
	notes(id: string): Y.Text | null {
		const notes = cardOf(this.doc, id)?.get('notes');
		return notes instanceof Y.Text ? notes : null;
	}

	private refreshCard(id: string): void {
		const card = cardOf(this.doc, id);
		if (card) this.cards.set(id, { id, ...readCard(card) });
		else this.cards.delete(id);
	}

	private refreshVerdict(id: string): void {
		const verdict = readComputed(computedOf(this.doc).get(id));
		if (verdict) this.verdicts.set(id, verdict);
		else this.verdicts.delete(id);
	}

	/**
	 * Browser tests craft raw document edits (as a hostile client would); they opt in before the page
	 * loads. It grants nothing: any script on the page could build the same updates itself.
	 */
	private exposeForTests(): void {
		const w = window as unknown as { __pbTestHooks?: boolean; __pbBoard?: { doc: Y.Doc } };
		if (w.__pbTestHooks === true) w.__pbBoard = { doc: this.doc };
	}
}

const KEY = Symbol('board');

export function setBoard(store: BoardStore): BoardStore {
	return setContext(KEY, store);
}

export function getBoard(): BoardStore {
	return getContext<BoardStore>(KEY);
}
