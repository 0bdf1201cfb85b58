import { getContext, setContext } from 'svelte';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, OutboxTopic, ServerToClientEvents, SubscribeRequest } from '$lib/contract/socket-events';
import { FeedListeners } from './feed-listeners.ts';
import { Lease, unionOf, type Interest } from './lease.ts';

export type { Listener, SyncInfo } from './feed-listeners.ts';

export type ConnectionState = 'connected' | 'connecting' | 'disconnected';

type Topic = OutboxTopic;
type Held = { topic: Topic; msg: { seq: number } };

export interface LiveFeedOptions {
	/** Reconnection backoff (socket.io's own, jittered by `jitter` ∈ [0, 1]). */
	reconnectDelayMs?: number;
	reconnectDelayMaxMs?: number;
	jitter?: number;
	/** Only these topics (a wall needs no positions, toasts only alerts); all when absent. */
	topics?: OutboxTopic[];
}

/**
 * One Socket.IO connection. Remembers the last seq it applied and asks `replay` for the rest on every
 * (re)connect, so a tab that slept misses nothing; Socket.IO's connection-state recovery is not used
 * (it fails on long idle connections). While a replay runs, everything that arrives is held and then
 * applied in seq order once: a live message that beat the replay cannot make an older one look seen.
 *
 * A tab has one, shared through context (`provideLiveFeed`): each part of the page `join`s with what
 * it shows and the seq its data was loaded at, and gets a Lease with a cursor of its own. The socket
 * subscribes to the union of the leases, and a lease that joins replays from its own seq.
 */
export class LiveFeed extends FeedListeners {
	state = $state<ConnectionState>('connecting');
	/** Epoch ms of the last message or successful replay. */
	lastUpdateAt = $state<number | null>(null);
	/** Epoch ms of the last server heartbeat, and the interval the server announced. */
	lastHeartbeatAt = $state<number | null>(null);
	heartbeatEvery = $state(10_000);
	/** Epoch ms since when the socket has been down (null while connected). */
	downSince = $state<number | null>(null);
	lastSeq = 0;
	private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
	private held: Held[] | null = null;
	private retryTimer: ReturnType<typeof setTimeout> | undefined;
	private refusals = 0;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly leases = new Set<Lease>();
	/** A replay asked for while one runs (the server runs one per socket): from this seq, after it. */
	private replayAgainFrom: number | null = null;
	private replayRunning = false;

	constructor(
		private readonly auth?: { token: string },
		private readonly opts: LiveFeedOptions = {}
	) {
		super();
	}

	/**
	 * Shows `interest` from `sinceSeq` (the seq the caller's data was loaded at): connects the tab's
	 * socket if it is the first, subscribes the socket to the union of every lease, and replays what
	 * this one missed. `lease.leave()` narrows the subscription again.
	 */
	join(interest: Interest, sinceSeq: number): Lease {
		const lease = new Lease(this, interest, sinceSeq);
		this.leases.add(lease);
		if (!this.socket) this.connect(sinceSeq);
		else this.resubscribe(sinceSeq);
		return lease;
	}

	/** Called by a lease whose interest changed (`widenFrom`: replay from there, for what it now adds). */
	changed(lease: Lease, widenFrom: number | null): void {
		if (!this.leases.has(lease)) return;
		this.resubscribe(widenFrom);
	}

	/** Called by Lease.leave(). */
	left(lease: Lease): void {
		if (!this.leases.delete(lease)) return;
		this.resubscribe(null);
	}

	/** What the socket should receive: the union of the leases, or everything the socket may see without any. */
	private subscription(): SubscribeRequest | null {
		if (this.leases.size === 0) return this.opts.topics ? { topics: this.opts.topics } : null;
		return unionOf([...this.leases].map((l) => l.interest));
	}

	private resubscribe(replayFrom: number | null): void {
		const socket = this.socket;
		if (!socket?.connected) return; // the (re)connect subscribes and replays
		const sub = this.subscription();
		if (sub) socket.emit('subscribe', sub);
		if (replayFrom !== null) this.replay(replayFrom);
	}

	connect(sinceSeq: number): void {
		if (this.socket) return;
		this.lastSeq = sinceSeq;
		const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
			path: '/socket.io',
			transports: ['websocket'],
			auth: this.auth,
			reconnectionDelay: this.opts.reconnectDelayMs ?? 1000,
			reconnectionDelayMax: this.opts.reconnectDelayMaxMs ?? 15_000,
			randomizationFactor: this.opts.jitter ?? 0.5
		});
		this.socket = socket;
		socket.on('connect', () => {
			this.refusals = 0;
			this.downSince = null;
			this.replayRunning = false;
			this.replayAgainFrom = null;
			const sub = this.subscription();
			// Before replay, which then replays these topics only (the server handles a socket's events in order).
			if (sub) socket.emit('subscribe', sub);
			this.replay(Math.min(this.lastSeq, ...[...this.leases].map((l) => l.since)));
		});
		socket.on('disconnect', (reason) => {
			this.down();
			// A server shutting down (deploy, restart) says goodbye with "io server disconnect", after
			// which socket.io never reconnects by itself: a wall must come back when the server does.
			if (reason === 'io server disconnect') this.retryLater();
		});
		socket.on('connect_error', () => {
			this.down();
			// Refused by the server's middleware (e.g. its database blipped): socket.io does not retry that itself.
			if (!socket.active) this.retryLater();
		});
		socket.on('heartbeat', (beat) => {
			this.lastHeartbeatAt = Date.now();
			this.heartbeatEvery = beat.every;
		});
		socket.on('position', (msg) => this.receive('position', msg));
		socket.on('alert', (msg) => this.receive('alert', msg));
		socket.on('commitment', (msg) => this.receive('commitment', msg));
	}

	private down(): void {
		this.state = 'disconnected';
		this.downSince ??= Date.now();
	}

	private retryLater(): void {
		clearTimeout(this.retryTimer);
		const base = Math.min(this.opts.reconnectDelayMaxMs ?? 15_000, (this.opts.reconnectDelayMs ?? 1000) * 2 ** this.refusals++);
		this.retryTimer = setTimeout(() => this.socket?.connect(), base * (0.5 + Math.random()));
	}

	private replay(sinceSeq: number): void {
		const socket = this.socket;
		if (!socket) return;
		if (this.replayRunning) {
			this.replayAgainFrom = Math.min(this.replayAgainFrom ?? sinceSeq, sinceSeq);
			return;
		}
		this.replayRunning = true;
		if (this.state !== 'connected') this.state = 'connecting';
		this.held ??= [];
		socket.emit('replay', { sinceSeq }, (answer) => {
			if (this.socket !== socket) return;
			this.replayRunning = false;
			if ('error' in answer) {
				setTimeout(() => socket.connected && this.replay(sinceSeq), 2000 * (0.5 + Math.random()));
				return;
			}
			const held = (this.held ?? []).sort((a, b) => a.msg.seq - b.msg.seq);
			this.held = null;
			let replayed = 0;
			for (const h of held) if (this.apply(h.topic, h.msg, true)) replayed++;
			this.lastSeq = Math.max(this.lastSeq, answer.upTo);
			for (const l of this.leases) l.caughtUp(answer.upTo);
			this.state = 'connected';
			this.lastUpdateAt = Date.now();
			// A connect is as good as a beat: staleness restarts from here.
			this.lastHeartbeatAt = Date.now();
			const info = { replayed, truncated: answer.truncated === true };
			this.announceSynced(info);
			for (const l of this.leases) l.synced(info);
			const again = this.replayAgainFrom;
			this.replayAgainFrom = null;
			if (again !== null) this.replay(again);
		});
	}

	private receive(topic: Topic, msg: { seq: number }): void {
		if (this.held) this.held.push({ topic, msg });
		else this.apply(topic, msg, false);
	}

	private apply(topic: Topic, msg: { seq: number }, replayed: boolean): boolean {
		// Each lease keeps its own cursor: a replay for one that joined late is news to it alone.
		let news = false;
		for (const l of this.leases) news = l.offer(topic, msg, replayed) || news;
		if (msg.seq <= this.lastSeq) return news;
		this.lastSeq = msg.seq;
		this.lastUpdateAt = Date.now();
		this.deliver(topic, msg, replayed);
		return true;
	}


	disconnect(): void {
		this.leases.clear();
		clearTimeout(this.retryTimer);
		this.socket?.disconnect();
		this.socket = null;
		this.held = null;
		this.state = 'disconnected';
	}
}

const KEY = Symbol('pb-live-feed');

/** The tab's one socket, created by the root layout; it connects when the first part of a page joins. */
export function provideLiveFeed(): LiveFeed {
	return setContext(KEY, new LiveFeed());
}

export function useLiveFeed(): LiveFeed {
	const feed = getContext<LiveFeed | undefined>(KEY);
	if (!feed) throw new Error('useLiveFeed() outside the root layout');
	return feed;
}
