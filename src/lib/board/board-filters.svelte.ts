import type { ComputedEntry } from '$lib/contract/board';
import type { Risk } from '$lib/contract/domain';
import type { BoardCard } from './board-store.svelte';

/** The board's filters; empty means "all". Plain state: the URL stays the board's address. */
export class BoardFilters {
	site = $state('');
	customer = $state('');
	risk = $state<Risk | ''>('');
	owner = $state('');
	/** Free text: customer, SKU, site, owner or id. */
	text = $state('');

	get active(): boolean {
		return Boolean(this.site || this.customer || this.risk || this.owner || this.text.trim());
	}

	clear(): void {
		this.site = this.customer = this.risk = this.owner = this.text = '';
	}

	matches(card: BoardCard, verdict: ComputedEntry | undefined): boolean {
		if (this.site && card.site !== this.site) return false;
		if (this.customer && !(card.customer ?? '').toLowerCase().includes(this.customer.trim().toLowerCase())) return false;
		if (this.risk && (verdict?.risk ?? 'unknown') !== this.risk) return false;
		if (this.owner && (card.owner ?? '') !== this.owner) return false;
		const text = this.text.trim().toLowerCase();
		if (text && ![card.customer, card.sku, card.site, card.owner, card.id].some((v) => v?.toLowerCase().includes(text))) return false;
		return true;
	}
}
