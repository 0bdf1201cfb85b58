import type { AlertMessage } from '$lib/contract/socket-events';

/** What the tabs of one person tell each other over a BroadcastChannel. */
export type TabMessage =
	| { type: 'present'; tab: string }
	| { type: 'leave'; tab: string }
	| { type: 'hello'; tab: string }
	| { type: 'state'; tab: string; to: string; entries: { alert: AlertMessage; snoozedUntil: number | null }[] }
	| { type: 'close'; id: string }
	| { type: 'snooze'; id: string; until: number };

/**
 * Tabs of one person agree on a single presenter: the tab most recently shown or focused. Every tab
 * follows the same alerts (each has its own feed); only the presenter renders toasts, so a person
 * sees each toast once however many tabs are open, and a close or snooze in one tab applies in all.
 */
export class TabCoordinator {
	readonly tab = Math.random().toString(36).slice(2);
	private presenter: string | null = null;
	private channel: BroadcastChannel | null = null;
	private readonly cleanup: (() => void)[] = [];

	constructor(
		private readonly name: string,
		private readonly onMessage: (m: TabMessage) => void,
		private readonly onPresenterChange: (isPresenter: boolean) => void
	) {}

	start(): void {
		// Without BroadcastChannel every tab presents: duplicates beat silence.
		if (typeof BroadcastChannel === 'undefined') return void this.set(this.tab);
		this.channel = new BroadcastChannel(this.name);
		this.channel.onmessage = (e: MessageEvent<TabMessage>) => this.receive(e.data);
		const claimIfShown = () => document.visibilityState === 'visible' && this.claim();
		const leave = () => this.post({ type: 'leave', tab: this.tab });
		document.addEventListener('visibilitychange', claimIfShown);
		window.addEventListener('focus', claimIfShown);
		window.addEventListener('pagehide', leave);
		this.cleanup.push(
			() => document.removeEventListener('visibilitychange', claimIfShown),
			() => window.removeEventListener('focus', claimIfShown),
			() => window.removeEventListener('pagehide', leave)
		);
		this.post({ type: 'hello', tab: this.tab });
		// A tab opened in the background does not take the toasts from the one in front.
		if (document.visibilityState === 'visible') this.claim();
	}

	get isPresenter(): boolean {
		return this.presenter === this.tab;
	}

	claim(): void {
		if (this.isPresenter) return;
		this.set(this.tab);
		this.post({ type: 'present', tab: this.tab });
	}

	post(m: TabMessage): void {
		this.channel?.postMessage(m);
	}

	private receive(m: TabMessage): void {
		if (m.type === 'present') this.set(m.tab);
		else if (m.type === 'leave' && m.tab === this.presenter) {
			this.set(null);
			if (document.visibilityState === 'visible') this.claim();
		}
		this.onMessage(m);
	}

	private set(tab: string | null): void {
		const was = this.isPresenter;
		this.presenter = tab;
		if (was !== this.isPresenter) this.onPresenterChange(this.isPresenter);
	}

	stop(): void {
		if (this.isPresenter) this.post({ type: 'leave', tab: this.tab });
		for (const c of this.cleanup) c();
		this.channel?.close();
		this.channel = null;
	}
}
