import { SvelteMap } from 'svelte/reactivity';
import { fetchOptions } from './options-client.ts';

/**
 * The best option's one-liner per card, fetched once per situation (`key` changes when the verdict or
 * the card's placement does) and shared by the card and its table row, so rows that scroll out of a
 * windowed table and back in do not ask again.
 */
export class BestOptions {
	private readonly known = new SvelteMap<string, { key: string; summary: string | null }>();
	// Bookkeeping of requests in flight, not rendered state.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	private readonly asked = new Map<string, string>();

	/** The one-liner for this situation: undefined while unknown, null when there is no option. */
	get(id: string, key: string): string | null | undefined {
		const entry = this.known.get(id);
		return entry?.key === key ? entry.summary : undefined;
	}

	/** Asks the server unless this situation is known or already asked for (call from an effect). */
	want(id: string, key: string): void {
		if (this.known.get(id)?.key === key || this.asked.get(id) === key) return;
		this.asked.set(id, key);
		fetchOptions(id).then(
			(r) => this.settle(id, key, r.options[0]?.summary ?? null),
			() => this.settle(id, key, null)
		);
	}

	private settle(id: string, key: string, summary: string | null): void {
		// An answer for a situation that has moved on is dropped; the newer request settles it.
		if (this.asked.get(id) !== key) return;
		this.asked.delete(id);
		this.known.set(id, { key, summary });
	}
}
