import { getContext, setContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import { toast } from 'svelte-sonner';
import type { NotificationPrefs, WallAlert, WallSnapshot } from '$lib/contract/notifications';
import type { AlertMessage } from '$lib/contract/socket-events';
import { severityRank } from '$lib/core/alert-reconcile';
import { pendingAfterReplay, summarise, SUMMARY_THRESHOLD, toastAction } from '$lib/core/notify';
import { ageText, isStale } from '$lib/core/wall-timing';
import { LiveFeed } from '$lib/realtime/live-feed.svelte';
import WallToast from './WallToast.svelte';

const KEY = Symbol('pb-wall');
/** Walls pop toasts for what a shift lead must see from across the room. */
const WALL_PREFS: NotificationPrefs = { enabled: true, role: 'all', sites: [], minSeverity: 'high' };
/** Live alert messages kept to re-apply on top of a refreshed snapshot (those after its seq). */
const KEEP_MESSAGES = 500;
/** A recompute sends its position, risk and alert rows together: refresh once they are all in. */
const SETTLE_MS = 1_500;

export interface WallOptions {
	token: string | null;
	/** Called to fetch a fresh snapshot (SvelteKit's invalidateAll); the page hands it back via setSnapshot. */
	refresh: () => Promise<void>;
	/** Fewest ms between two refreshes caused by live events. */
	refreshGapMs?: number;
}

/**
 * Everything a wall screen shows, kept live: the snapshot from the server, alerts applied from the
 * feed as they come, a one-second clock, staleness from the server heartbeat, and toasts for new
 * critical and high alerts (critical ones stay until someone acknowledges them elsewhere).
 */
export class WallState {
	snapshot = $state.raw<WallSnapshot>(null as unknown as WallSnapshot);
	readonly alerts = new SvelteMap<string, WallAlert>();
	now = $state(Date.now());
	readonly feed: LiveFeed;
	private readonly startedAt = Date.now();
	private recent: AlertMessage[] = [];
	private replayed: AlertMessage[] = [];
	private refreshTimer: ReturnType<typeof setTimeout> | undefined;
	private lastRefresh = 0;
	private readonly stops: (() => void)[] = [];

	constructor(
		initial: WallSnapshot,
		private readonly opts: WallOptions
	) {
		// Walls back off further and with more jitter than laptops: a room of screens must not reconnect in step.
		// Positions are left out: the KPIs they move are refreshed with the snapshot, and a wall with them
		// would take every recompute of every SKU in the business.
		this.feed = new LiveFeed(opts.token ? { token: opts.token } : undefined, { reconnectDelayMs: 1000, reconnectDelayMaxMs: 10_000, jitter: 0.5, topics: ['alert', 'commitment'] });
		this.setSnapshot(initial);
	}

	start(): void {
		const tick = setInterval(() => (this.now = Date.now()), 1000);
		this.stops.push(
			() => clearInterval(tick),
			() => clearTimeout(this.refreshTimer),
			this.feed.onAlert((m, meta) => this.onAlert(m, meta.replayed)),
			this.feed.onCommitment(() => this.scheduleRefresh()),
			this.feed.onSynced((info) => this.onSynced(info.truncated))
		);
		// KPIs, shipments and handoff notes drift with the clock too (a new day, a new note): refresh now and then.
		const periodic = setInterval(() => this.scheduleRefresh(), 30_000);
		this.stops.push(() => clearInterval(periodic));
		this.feed.connect(this.snapshot.sinceSeq);
	}

	stop(): void {
		for (const s of this.stops) s();
		this.feed.disconnect();
		toast.dismiss();
	}

	/** A fresh snapshot, plus whatever the feed delivered after the seq it was read at. */
	setSnapshot(s: WallSnapshot): void {
		this.snapshot = s;
		this.alerts.clear();
		for (const a of s.alerts) this.alerts.set(a.id, a);
		for (const m of this.recent) if (m.seq > s.sinceSeq) this.applyAlert(m);
	}

	get stale(): boolean {
		return isStale(this.now, this.feed.lastHeartbeatAt ?? this.startedAt, this.feed.heartbeatEvery);
	}

	/** Freshest proof the data is current: a message, a heartbeat or the snapshot itself. */
	get updatedAt(): number {
		return Math.max(this.feed.lastUpdateAt ?? 0, this.feed.lastHeartbeatAt ?? 0, Date.parse(this.snapshot.generatedAt) || 0);
	}

	get updatedText(): string {
		return ageText(this.now, this.updatedAt || null);
	}

	/** Live alerts, most severe first, newest first within a severity. */
	get sortedAlerts(): WallAlert[] {
		return [...this.alerts.values()].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.openedAt < b.openedAt ? 1 : -1));
	}

	get openCritical(): WallAlert[] {
		return this.sortedAlerts.filter((a) => a.severity === 'critical' && a.status === 'open');
	}

	private applyAlert(m: AlertMessage): void {
		const { seq: _seq, change: _change, ...a } = m;
		if (a.status === 'resolved') this.alerts.delete(a.id);
		else this.alerts.set(a.id, a);
	}

	private onAlert(m: AlertMessage, replayed: boolean): void {
		this.recent.push(m);
		if (this.recent.length > KEEP_MESSAGES) this.recent = this.recent.slice(-KEEP_MESSAGES / 2);
		this.applyAlert(m);
		this.scheduleRefresh();
		if (replayed) this.replayed.push(m);
		else this.toastFor(m);
	}

	private toastFor(m: AlertMessage): void {
		const action = toastAction(m);
		if (action === 'dismiss') toast.dismiss(m.id);
		else if (action === 'show' && severityRank(m.severity) <= severityRank(WALL_PREFS.minSeverity)) this.showToast(m);
	}

	private showToast(m: AlertMessage): void {
		const critical = m.severity === 'critical';
		toast.custom(WallToast, { id: m.id, duration: critical ? Number.POSITIVE_INFINITY : 20_000, dismissible: false, unstyled: true, componentProps: { alert: m } });
	}

	private onSynced(truncated: boolean): void {
		const batch = this.replayed;
		this.replayed = [];
		for (const m of batch) if (toastAction(m) === 'dismiss') toast.dismiss(m.id);
		const pending = pendingAfterReplay(batch, WALL_PREFS);
		if (pending.length > SUMMARY_THRESHOLD) toast.warning(summarise(pending)!.text, { id: 'pb-wall-summary', duration: 30_000 });
		else for (const m of pending) this.showToast(m);
		// The server pruned what this screen missed: only a full snapshot is right now.
		if (truncated) void this.refreshNow();
	}

	/**
	 * Coalesces refreshes: a burst of events is waited out briefly (alerts themselves are already on
	 * screen, applied live), and there is at most one refresh per gap however busy the feed is.
	 */
	scheduleRefresh(): void {
		if (this.refreshTimer) return;
		const gap = this.opts.refreshGapMs ?? 5_000;
		const wait = Math.max(SETTLE_MS, this.lastRefresh + gap - Date.now());
		this.refreshTimer = setTimeout(() => void this.refreshNow(), wait);
	}

	private async refreshNow(): Promise<void> {
		clearTimeout(this.refreshTimer);
		this.lastRefresh = Date.now();
		try {
			await this.opts.refresh();
		} catch {
			// Down again: the next event or the periodic refresh tries once more.
		} finally {
			this.refreshTimer = undefined;
		}
	}
}

export function provideWall(state: WallState): WallState {
	return setContext(KEY, state);
}

export function useWall(): WallState {
	return getContext<WallState>(KEY);
}
