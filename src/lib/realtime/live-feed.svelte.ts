import { io, type Socket } from 'socket.io-client';
import type {
	AlertMessage,
	ClientToServerEvents,
	CommitmentRiskMessage,
	OutboxTopic,
	PositionMessage,
	ServerToClientEvents
} from '$lib/contract/socket-events';

export type ConnectionState = 'connected' | 'connecting' | 'disconnected';

/** `replayed`: the message came in while catching up after a (re)connect, not live. */
type Listener<T> = (msg: T, meta: { replayed: boolean }) => void;
type Topic = 'position' | 'alert' | 'commitment';
type Held = { topic: Topic; msg: { seq: number } };

export interface SyncInfo {
	/** Messages applied while catching up (after seq dedupe). */
	replayed: number;
	/** The server had pruned rows this client missed: reload the data, the replay was incomplete. */
	truncated: boolean;
}

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
 */
export class LiveFeed {
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
	// Listener registries, not UI state: nothing renders from them.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly listeners = { position: new Set<Listener<PositionMessage>>(), alert: new Set<Listener<AlertMessage>>(), commitment: new Set<Listener<CommitmentRiskMessage>>() };
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly syncListeners = new Set<(info: SyncInfo) => void>();

	constructor(
		private readonly auth?: { token: string },
		private readonly opts: LiveFeedOptions = {}
	) {}

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
			this.replay();
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

	private replay(): void {
		const socket = this.socket;
		if (!socket) return;
		this.state = 'connecting';
		this.held ??= [];
		// Before replay, which then replays these topics only (the server handles a socket's events in order).
		if (this.opts.topics) socket.emit('subscribe', { topics: this.opts.topics });
		socket.emit('replay', { sinceSeq: this.lastSeq }, (answer) => {
			if (this.socket !== socket) return;
			if ('error' in answer) {
				setTimeout(() => socket.connected && this.replay(), 2000 * (0.5 + Math.random()));
				return;
			}
			const held = (this.held ?? []).sort((a, b) => a.msg.seq - b.msg.seq);
			this.held = null;
			let replayed = 0;
			for (const h of held) if (this.apply(h.topic, h.msg, true)) replayed++;
			this.lastSeq = Math.max(this.lastSeq, answer.upTo);
			this.state = 'connected';
			this.lastUpdateAt = Date.now();
			// A connect is as good as a beat: staleness restarts from here.
			this.lastHeartbeatAt = Date.now();
			for (const l of this.syncListeners) l({ replayed, truncated: answer.truncated === true });
		});
	}

	private receive(topic: Topic, msg: { seq: number }): void {
		if (this.held) this.held.push({ topic, msg });
		else this.apply(topic, msg, false);
	}

	private apply(topic: Topic, msg: { seq: number }, replayed: boolean): boolean {
		if (msg.seq <= this.lastSeq) return false;
		this.lastSeq = msg.seq;
		this.lastUpdateAt = Date.now();
		for (const l of this.listeners[topic] as Set<Listener<typeof msg>>) l(msg, { replayed });
		return true;
	}

	onPosition(l: Listener<PositionMessage>): () => void {
		this.listeners.position.add(l);
		return () => this.listeners.position.delete(l);
	}

	onAlert(l: Listener<AlertMessage>): () => void {
		this.listeners.alert.add(l);
		return () => this.listeners.alert.delete(l);
	}

	onCommitment(l: Listener<CommitmentRiskMessage>): () => void {
		this.listeners.commitment.add(l);
		return () => this.listeners.commitment.delete(l);
	}

	/** After each completed replay (every connect and reconnect). */
	onSynced(l: (info: SyncInfo) => void): () => void {
		this.syncListeners.add(l);
		return () => this.syncListeners.delete(l);
	}

	disconnect(): void {
		clearTimeout(this.retryTimer);
		this.socket?.disconnect();
		this.socket = null;
		this.held = null;
		this.state = 'disconnected';
	}
}
