import type { DemandSignal } from '$lib/contract/signals';
import { indexSignals, signalsAffecting, type BoardSignal } from './card-signals.ts';

/** How often an open, visible board asks for the signals again (no socket event carries them). */
export const SIGNALS_REFRESH_MS = 10_000;

/**
 * The demand signals of the board's SKU×sites, for its cards and rows. Seeded by the page load (a
 * service call), then refreshed while the tab is visible and at once when it becomes visible again.
 */
export class BoardSignals {
	// Replaced whole on every change, never mutated: a raw state of a plain Map is enough.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private index = $state.raw<Map<string, BoardSignal[]>>(new Map());
	private signature = '';
	private timer: ReturnType<typeof setInterval> | undefined;
	private generation = 0;

	constructor(initial: readonly BoardSignal[] = []) {
		this.replace(initial);
	}

	for(card: Parameters<typeof signalsAffecting>[1]): BoardSignal[] {
		return signalsAffecting(this.index, card);
	}

	start(every = SIGNALS_REFRESH_MS): void {
		this.stop();
		this.timer = setInterval(() => document.visibilityState === 'visible' && void this.refresh(), every);
		document.addEventListener('visibilitychange', this.onVisible);
	}

	stop(): void {
		clearInterval(this.timer);
		this.generation++;
		document.removeEventListener('visibilitychange', this.onVisible);
	}

	async refresh(): Promise<void> {
		const gen = ++this.generation;
		const res = await fetch('/api/signals?limit=5000').catch(() => null);
		if (!res?.ok) return;
		const list = (await res.json().catch(() => null)) as DemandSignal[] | null;
		if (gen === this.generation && Array.isArray(list)) this.replace(list);
	}

	private onVisible = () => document.visibilityState === 'visible' && void this.refresh();

	/** Takes a fresh list (the page load's, a refresh's). */
	replace(list: readonly BoardSignal[]): void {
		// Unchanged answers (the usual case) leave every card's derivation alone.
		const signature = list.map((s) => JSON.stringify([s.id, s.withdrawnAt, s.kind, s.customer, s.qty, s.per, s.startDate, s.endDate, s.note])).join('|');
		if (signature === this.signature) return;
		this.signature = signature;
		this.index = indexSignals(list);
	}
}
