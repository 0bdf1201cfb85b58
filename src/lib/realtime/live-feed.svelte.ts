import { io, type Socket } from 'socket.io-client';
import type { AlertMessage, ClientToServerEvents, CommitmentRiskMessage, PositionMessage, ServerToClientEvents } from '$lib/contract/socket-events';

export type ConnectionState = 'connected' | 'connecting' | 'disconnected';

type Listener<T> = (msg: T) => void;

/**
 * One Socket.IO connection per tab. Remembers the last seq it applied and asks `replay` for the rest
 * on every (re)connect, so a tab that slept misses nothing; seqs already seen are dropped, so an
 * event that arrives both live and in a replay is applied once.
 */
export class LiveFeed {
	state = $state<ConnectionState>('connecting');
	/** Epoch ms of the last message or successful replay. */
	lastUpdateAt = $state<number | null>(null);
	lastSeq = 0;
	private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
	// Listener registries, not UI state: nothing renders from them.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly positionListeners = new Set<Listener<PositionMessage>>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly alertListeners = new Set<Listener<AlertMessage>>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly commitmentListeners = new Set<Listener<CommitmentRiskMessage>>();

	constructor(private readonly auth?: { token: string }) {}

	connect(sinceSeq: number): void {
		if (this.socket) return;
		this.lastSeq = sinceSeq;
		const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
			path: '/socket.io',
			transports: ['websocket'],
			auth: this.auth,
			reconnectionDelay: 1000,
			reconnectionDelayMax: 15_000,
			randomizationFactor: 0.5
		});
		this.socket = socket;
		socket.on('connect', () => {
			this.state = 'connecting';
			socket.emit('replay', { sinceSeq: this.lastSeq }, (answer) => {
				if ('upTo' in answer) {
					this.lastSeq = Math.max(this.lastSeq, answer.upTo);
					this.state = 'connected';
					this.lastUpdateAt = Date.now();
				}
			});
		});
		socket.on('disconnect', () => (this.state = 'disconnected'));
		socket.on('connect_error', () => (this.state = 'disconnected'));
		socket.on('position', (msg) => this.accept(msg, this.positionListeners));
		socket.on('alert', (msg) => this.accept(msg, this.alertListeners));
		socket.on('commitment', (msg) => this.accept(msg, this.commitmentListeners));
	}

	private accept<T extends { seq: number }>(msg: T, listeners: Set<Listener<T>>): void {
		if (msg.seq <= this.lastSeq) return;
		this.lastSeq = msg.seq;
		this.lastUpdateAt = Date.now();
		for (const l of listeners) l(msg);
	}

	onPosition(l: Listener<PositionMessage>): () => void {
		this.positionListeners.add(l);
		return () => this.positionListeners.delete(l);
	}

	onAlert(l: Listener<AlertMessage>): () => void {
		this.alertListeners.add(l);
		return () => this.alertListeners.delete(l);
	}

	onCommitment(l: Listener<CommitmentRiskMessage>): () => void {
		this.commitmentListeners.add(l);
		return () => this.commitmentListeners.delete(l);
	}

	disconnect(): void {
		this.socket?.disconnect();
		this.socket = null;
		this.state = 'disconnected';
	}
}
