import { SUBSCRIBE_MAX_SITES, SUBSCRIBE_MAX_SKUS, type OutboxTopic, type SubscribeRequest } from '$lib/contract/socket-events';
import { FeedListeners, type SyncInfo } from './feed-listeners.ts';

/** What one part of a page shows: its topics, and the sites/SKUs of positions and sites of alerts (absent: all). */
export interface Interest {
	topics: OutboxTopic[];
	positions?: { sites?: string[]; skus?: string[] };
	alerts?: { sites?: string[] };
}


/** The feed side a lease talks to (LiveFeed), kept narrow so a lease needs no socket. */
export interface LeaseOwner {
	changed(lease: Lease, widenFrom: number | null): void;
	left(lease: Lease): void;
}

/**
 * One part of a page on the tab's shared socket: its interest, its listeners, and its own cursor, so
 * a replay asked for when it joined is news to it and old news (dropped) to the others.
 */
export class Lease extends FeedListeners {
	constructor(
		private readonly owner: LeaseOwner,
		public interest: Interest,
		/** The last seq this lease has seen (its data's seq when it joined). */
		public since: number
	) {
		super();
	}

	/** Delivers `msg` if it is new to this lease; every topic moves the cursor (the socket's stream is in seq order). */
	offer(topic: OutboxTopic, msg: { seq: number }, replayed: boolean): boolean {
		if (msg.seq <= this.since) return false;
		this.since = msg.seq;
		this.deliver(topic, msg, replayed);
		return true;
	}

	caughtUp(upTo: number): void {
		this.since = Math.max(this.since, upTo);
	}

	synced(info: SyncInfo): void {
		this.announceSynced(info);
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
