import { getContext, setContext } from 'svelte';
import { toast } from 'svelte-sonner';
import { api } from '$lib/api-client';
import type { NotificationPrefs } from '$lib/contract/notifications';
import type { AlertMessage } from '$lib/contract/socket-events';
import { concerns, pendingAfterReplay, summarise, SUMMARY_THRESHOLD, toastAction } from '$lib/core/notify';
import type { LiveFeed } from '$lib/realtime/live-feed.svelte';
import type { Interest, Lease } from '$lib/realtime/lease';
import { acknowledgeAlert } from './ack.ts';
import AlertToast from './AlertToast.svelte';
import { TabCoordinator, type TabMessage } from './tab-coordinator.ts';

const KEY = Symbol('pb-notification-center');
export const SNOOZE_MS = 15 * 60_000;
const NON_CRITICAL_MS = 30_000;

interface Entry {
	alert: AlertMessage;
	snoozedUntil: number | null;
}

/**
 * Live toasts for the signed-in person: new or escalated alerts that concern them (their saved
 * preferences), with acknowledge, open and snooze. One per tab, created by the root layout on the
 * tab's shared socket, subscribed to the alerts its preferences can concern; the tabs of one person
 * share the toasts through a TabCoordinator so each shows once.
 */
export class NotificationCenter {
	prefs = $state<NotificationPrefs | null>(null);
	canAck = $state(false);
	/** The tab's socket while toasts run (its state is shown for support staff and tests). */
	feed = $state.raw<LiveFeed | null>(null);
	private lease: Lease | null = null;

	constructor(private readonly shared: LiveFeed) {}
	private tabs: TabCoordinator | null = null;
	// Bookkeeping, not rendered state: the toasts are the rendering.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly entries = new Map<string, Entry>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly rendered = new Map<string, string>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly seen = new Map<string, number>();
	private replayed: AlertMessage[] = [];
	private stops: (() => void)[] = [];
	/** Bumped by start() and stop(): a start whose fetch returns after a stop gives up. */
	private generation = 0;

	async start(): Promise<void> {
		const gen = ++this.generation;
		// Signed out, or not a person (tokens get no toasts by preference): nothing to do.
		const state = await api('GET /api/me/notifications').catch(() => null);
		if (!state || gen !== this.generation) return;
		this.prefs = state.prefs;
		this.canAck = state.canAck;
		this.tabs = new TabCoordinator(`pb-toasts:${state.user.email}`, (m) => this.onTab(m), () => this.render());
		this.tabs.start();
		const lease = (this.lease = this.shared.join(interestOf(state.prefs), state.sinceSeq));
		this.feed = this.shared;
		this.stops.push(
			lease.onAlert((m, meta) => (meta.replayed ? this.replayed.push(m) : this.handle(m))),
			lease.onSynced(() => this.flushReplay()),
			() => lease.leave()
		);
	}

	/** A live alert message: pop, refresh or remove its toast. */
	private handle(m: AlertMessage): void {
		this.settle(m);
		if (toastAction(m) === 'show' && this.prefs && concerns(this.prefs, m)) this.entries.set(m.id, { alert: m, snoozedUntil: null });
		this.render();
	}

	/** Applies closes and refreshes; returns nothing new to announce. */
	private settle(m: AlertMessage): void {
		this.seen.set(m.id, m.seq);
		const action = toastAction(m);
		if (action === 'dismiss') this.entries.delete(m.id);
		else if (action === 'refresh') {
			const e = this.entries.get(m.id);
			if (e) e.alert = m;
		}
	}

	/** After a (re)connect: a few alerts pop one by one, a burst becomes one summary toast. */
	private flushReplay(): void {
		const batch = this.replayed;
		this.replayed = [];
		if (batch.length === 0 || !this.prefs) return;
		for (const m of batch) this.settle(m);
		const pending = pendingAfterReplay(batch, this.prefs);
		if (pending.length > SUMMARY_THRESHOLD) {
			const s = summarise(pending)!;
			if (this.tabs?.isPresenter) {
				const show = s.worst === 'critical' ? toast.error : toast.warning;
				show(s.text, { id: 'pb-replay-summary', duration: 60_000, description: 'They are listed in the alert centre.', action: { label: 'Open alerts', onClick: () => window.location.assign('/alerts') } });
			}
		} else for (const m of pending) this.entries.set(m.id, { alert: m, snoozedUntil: null });
		this.render();
	}

	/** Makes the toasts on screen match the entries, in the presenting tab only. */
	private render(): void {
		const present = this.tabs?.isPresenter ?? false;
		const now = Date.now();
		for (const [id, e] of this.entries) {
			const visible = present && (e.snoozedUntil === null || e.snoozedUntil <= now);
			const version = `${e.alert.seq}`;
			if (visible && this.rendered.get(id) !== version) {
				this.rendered.set(id, version);
				toast.custom(AlertToast, {
					id,
					duration: e.alert.severity === 'critical' ? Number.POSITIVE_INFINITY : NON_CRITICAL_MS,
					dismissible: false,
					unstyled: true,
					onAutoClose: () => this.close(id),
					componentProps: { alert: e.alert, canAck: this.canAck, onAck: () => this.ack(id), onSnooze: () => this.snooze(id), onClose: () => this.close(id) }
				});
			} else if (!visible && this.rendered.has(id)) this.unrender(id);
		}
		for (const id of [...this.rendered.keys()]) if (!this.entries.has(id)) this.unrender(id);
	}

	private unrender(id: string): void {
		this.rendered.delete(id);
		toast.dismiss(id);
	}

	async ack(id: string): Promise<void> {
		const result = await acknowledgeAlert(id);
		// Done, or already acknowledged/resolved by someone else: the toast has no purpose left.
		if (result.ok || result.status === 409 || result.status === 404) {
			this.entries.delete(id);
			this.tabs?.post({ type: 'close', id });
			this.render();
		} else toast.error(`Could not acknowledge: ${result.error}`);
	}

	snooze(id: string, ms = SNOOZE_MS): void {
		const until = Date.now() + ms;
		this.applySnooze(id, until);
		this.tabs?.post({ type: 'snooze', id, until });
	}

	private applySnooze(id: string, until: number): void {
		const e = this.entries.get(id);
		if (!e) return;
		e.snoozedUntil = until;
		this.render();
		const t = setTimeout(() => this.render(), until - Date.now() + 50);
		this.stops.push(() => clearTimeout(t));
	}

	/** Closed by the person: gone in every tab until the alert escalates again. */
	close(id: string): void {
		this.entries.delete(id);
		this.tabs?.post({ type: 'close', id });
		this.render();
	}

	private onTab(m: TabMessage): void {
		if (m.type === 'close') {
			this.entries.delete(m.id);
			this.render();
		} else if (m.type === 'snooze') this.applySnooze(m.id, m.until);
		else if (m.type === 'hello' && this.entries.size > 0) {
			this.tabs?.post({ type: 'state', tab: this.tabs.tab, to: m.tab, entries: [...this.entries.values()] });
		} else if (m.type === 'state' && m.to === this.tabs?.tab) {
			// Toasts that were up before this tab opened; skip any this tab already knows newer news of.
			for (const e of m.entries) {
				if (!this.entries.has(e.alert.id) && (this.seen.get(e.alert.id) ?? 0) < e.alert.seq) this.entries.set(e.alert.id, e);
			}
			this.render();
		}
	}

	/** After the person saved new preferences: toasts that no longer concern them go. */
	updatePrefs(p: NotificationPrefs): void {
		this.prefs = p;
		// Sites added to the preferences replay from the last seq this lease saw, so nothing is missed.
		this.lease?.update(interestOf(p), this.lease.since);
		for (const [id, e] of this.entries) if (!concerns(p, e.alert)) this.entries.delete(id);
		this.render();
	}

	stop(): void {
		this.generation++;
		for (const s of this.stops) s();
		this.stops = [];
		this.lease = null;
		this.feed = null;
		this.tabs?.stop();
		this.tabs = null;
		this.entries.clear();
		this.replayed = [];
		for (const id of [...this.rendered.keys()]) this.unrender(id);
	}
}

/** Only the alerts the preferences can concern reach the tab: none when toasts are off, their sites when set. */
function interestOf(p: NotificationPrefs): Interest {
	if (!p.enabled) return { topics: [] };
	return p.sites.length > 0 ? { topics: ['alert'], alerts: { sites: p.sites } } : { topics: ['alert'] };
}

export function provideNotificationCenter(feed: LiveFeed): NotificationCenter {
	return setContext(KEY, new NotificationCenter(feed));
}

export function useNotificationCenter(): NotificationCenter | undefined {
	return getContext<NotificationCenter | undefined>(KEY);
}
