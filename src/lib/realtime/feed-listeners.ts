import type { AlertMessage, CommitmentRiskMessage, OutboxTopic, PositionMessage } from '$lib/contract/socket-events';

/** `replayed`: the message came in while catching up after a (re)connect, not live. */
export type Listener<T> = (msg: T, meta: { replayed: boolean }) => void;

export interface SyncInfo {
	/** Messages applied while catching up (after seq dedupe). */
	replayed: number;
	/** The server had pruned rows this client missed: reload the data, the replay was incomplete. */
	truncated: boolean;
}

/** Who hears a feed: per topic, and after each replay. The tab's feed and each of its leases are one. */
export class FeedListeners {
	// Listener registries, not UI state: nothing renders from them.
	private readonly byTopic = {
		position: new Set<Listener<PositionMessage>>(),
		alert: new Set<Listener<AlertMessage>>(),
		commitment: new Set<Listener<CommitmentRiskMessage>>()
	};
	private readonly syncListeners = new Set<(info: SyncInfo) => void>();

	protected deliver(topic: OutboxTopic, msg: { seq: number }, replayed: boolean): void {
		for (const l of this.byTopic[topic] as Set<Listener<typeof msg>>) l(msg, { replayed });
	}

	protected announceSynced(info: SyncInfo): void {
		for (const l of this.syncListeners) l(info);
	}

	onPosition(l: Listener<PositionMessage>): () => void {
		this.byTopic.position.add(l);
		return () => this.byTopic.position.delete(l);
	}

	onAlert(l: Listener<AlertMessage>): () => void {
		this.byTopic.alert.add(l);
		return () => this.byTopic.alert.delete(l);
	}

	onCommitment(l: Listener<CommitmentRiskMessage>): () => void {
		this.byTopic.commitment.add(l);
		return () => this.byTopic.commitment.delete(l);
	}

	/** After each completed replay (every connect and reconnect). */
	onSynced(l: (info: SyncInfo) => void): () => void {
		this.syncListeners.add(l);
		return () => this.syncListeners.delete(l);
	}
}
