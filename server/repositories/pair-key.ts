/** One SKU×site: the unit the engine recomputes, locks and marks dirty. */
export interface PairKey {
	sku: string;
	site: string;
}

/** A map key for a pair (NUL cannot occur in codes, so two pairs never collide). */
export function pairKey(k: { sku: string; site: string | null }): string {
	return `${k.sku}\u0000${k.site}`;
}

/** Groups rows by the pair they belong to. */
export function groupByPair<T>(rows: T[], keyOf: (row: T) => { sku: string; site: string | null } = (r) => r as never): Map<string, T[]> {
	const out = new Map<string, T[]>();
	for (const r of rows) {
		const key = pairKey(keyOf(r));
		const list = out.get(key);
		if (list) list.push(r);
		else out.set(key, [r]);
	}
	return out;
}

/** Distinct pairs in key order: the order every writer takes locks in, so batches never deadlock. */
export function uniquePairs(pairs: (PairKey | null)[]): PairKey[] {
	const seen = new Map<string, PairKey>();
	for (const p of pairs) if (p) seen.set(pairKey(p), { sku: p.sku, site: p.site });
	return [...seen.values()].sort((a, b) => (a.sku === b.sku ? cmp(a.site, b.site) : cmp(a.sku, b.sku)));
}

function cmp(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
