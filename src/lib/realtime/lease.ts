import {
	SUBSCRIBE_MAX_SITES,
	SUBSCRIBE_MAX_SKUS,
	type AlertMessage,
	type CommitmentRiskMessage,
	type OutboxTopic,
	type PositionMessage,
	type SubscribeRequest
} from '$lib/contract/socket-events';

/** What one part of a page shows: its topics, and the sites/SKUs of positions and sites of alerts (absent: all). */
export interface Interest {
	topics: OutboxTopic[];
	positions?: { sites?: string[]; skus?: string[] };
	alerts?: { sites?: string[] };
}

type Listener<T> = (msg: T, meta: { replayed: boolean }) => void;
type SyncInfo = { replayed: number; truncated: boolean };

/** The feed side a lease talks to (LiveFeed), kept narrow so a lease needs no socket. */
export interface LeaseOwner {
	changed(lease: Lease, widenFrom: number | null): void;
	left(lease: Lease): void;
}

/**
 * One part of a page on the tab's shared socket: its interest, its listeners, and its own cursor, so
 * a replay asked for when it joined is news to it and old news (dropped) to the others.
 */
export class Lease {
	private readonly listeners = {
		position: new Set<Listener<PositionMessage>>(),
		alert: new Set<Listener<AlertMessage>>(),
		commitment: new Set<Listener<CommitmentRiskMessage>>()
	};
	private readonly syncListeners = new Set<(info: SyncInfo) => void>();

	constructor(
		private readonly owner: LeaseOwner,
		public interest: Interest,
		/** The last seq this lease has seen (its data's seq when it joined). */
		public since: number
	) {}

	/** Delivers `msg` if it is new to this lease; every topic moves the cursor (the socket's stream is in seq order). */
	offer(topic: OutboxTopic, msg: { seq: number }, replayed: boolean): boolean {
		if (msg.seq <= this.since) return false;
		this.since = msg.seq;
		for (const l of this.listeners[topic] as Set<Listener<typeof msg>>) l(msg, { replayed });
		return true;
	}

	caughtUp(upTo: number): void {
		this.since = Math.max(this.since, upTo);
	}

	synced(info: SyncInfo): void {
		for (const l of this.syncListeners) l(info);
	}

	/** Shows something else now, with data loaded at `sinceSeq`: replays from there what the new interest adds. */
	update(interest: Interest, sinceSeq: number): void {
		this.interest = interest;
		this.since = Math.min(this.since, sinceSeq);
		this.owner.changed(this, sinceSeq);
	}

	leave(): void {
		this.owner.left(this);
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

	/** After each completed replay of the shared socket; `truncated`: reload this lease's data. */
	onSynced(l: (info: SyncInfo) => void): () => void {
		this.syncListeners.add(l);
		return () => this.syncListeners.delete(l);
	}
}

/** Union of names, or undefined (= all) when any interest takes all or the union exceeds `cap`. */
function unionNames(lists: (string[] | undefined)[], cap: number): string[] | undefined {
	if (lists.length === 0 || lists.some((l) => l === undefined)) return undefined;
	const all = [...new Set(lists.flat() as string[])].sort();
	return all.length > 0 && all.length <= cap ? all : undefined;
}

/** The one subscription that covers every interest (a superset when caps force it: listeners filter). */
export function unionOf(interests: Interest[]): SubscribeRequest {
	const wanting = (t: OutboxTopic) => interests.filter((i) => i.topics.includes(t));
	const topics = (['position', 'alert', 'commitment'] as const).filter((t) => wanting(t).length > 0);
	const req: SubscribeRequest = { topics: [...topics] };
	const pos = wanting('position');
	if (pos.length) {
		const sites = unionNames(pos.map((i) => i.positions?.sites), SUBSCRIBE_MAX_SITES);
		const skus = unionNames(pos.map((i) => i.positions?.skus), SUBSCRIBE_MAX_SKUS);
		if (sites || skus) req.positions = { ...(sites && { sites }), ...(skus && { skus }) };
	}
	const al = wanting('alert');
	if (al.length) {
		const sites = unionNames(al.map((i) => i.alerts?.sites), SUBSCRIBE_MAX_SITES);
		if (sites) req.alerts = { sites };
	}
	return req;
}

/** A stock table's interest: the sites and SKUs of its rows (none on screen, nothing to follow). */
export function positionsInterest(rows: { sku: string; site: string }[]): Interest {
	if (rows.length === 0) return { topics: [] };
	const sites = [...new Set(rows.map((r) => r.site))];
	const skus = [...new Set(rows.map((r) => r.sku))];
	return {
		topics: ['position'],
		positions: { ...(sites.length <= SUBSCRIBE_MAX_SITES && { sites }), ...(skus.length <= SUBSCRIBE_MAX_SKUS && { skus }) }
	};
}
