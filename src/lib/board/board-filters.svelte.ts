import type { ComputedEntry } from '$lib/contract/board';
import type { Risk } from '$lib/contract/domain';
import type { BoardCard } from './board-store.svelte';

/** The board's filters; empty means "all". Plain state: the URL stays the board's address. */
export class BoardFilters {
	site = $state('');
	customer = $state('');
	risk = $state<Risk | ''>('');
	owner = $state('');

	get active(): boolean {
		return Boolean(this.site || this.customer || this.risk || this.owner);
	}

	clear(): void {
		this.site = this.customer = this.risk = this.owner = '';
	}

	matches(card: BoardCard, verdict: ComputedEntry | undefined): boolean {
		if (this.site && card.site !== this.site) return false;
		if (this.customer && !(card.customer ?? '').toLowerCase().includes(this.customer.trim().toLowerCase())) return false;
		if (this.risk && (verdict?.risk ?? 'unknown') !== this.risk) return false;
		if (this.owner && (card.owner ?? '') !== this.owner) return false;
		return true;
	}
}
