/** One control of a list page's filter bar; its `name` is the query parameter it sets. */
export type FilterField =
	| { kind: 'select'; name: string; label: string; options: { value: string; label: string }[]; testid?: string }
	| { kind: 'search'; name: string; label: string; placeholder?: string; class?: string };

/**
 * The URL of a list filtered by `values`: empty values and defaults stay out, so a plain list has a
 * plain address and a filtered one can be shared and reloaded.
 */
export function filterHref(path: string, values: Record<string, string | number>, defaults: Record<string, string | number> = {}): string {
	const kept = Object.entries(values).filter(([k, v]) => v !== '' && v !== defaults[k]);
	const query = new URLSearchParams(kept.map(([k, v]) => [k, String(v)])).toString();
	return query ? `${path}?${query}` : path;
}

/** Options of a select: `{ value, label }` from a list of codes (and a first "any" entry, when given). */
export function optionsOf<T extends string>(values: readonly T[], label: (v: T) => string = (v) => v, any?: string): { value: string; label: string }[] {
	return [...(any === undefined ? [] : [{ value: '', label: any }]), ...values.map((v) => ({ value: v, label: label(v) }))];
}

/** Site options as every list shows them ("A — Name"), after an "all sites" entry when given. */
export function siteOptions(sites: { code: string; name: string }[], all?: string): { value: string; label: string }[] {
	return [...(all === undefined ? [] : [{ value: '', label: all }]), ...sites.map((s) => ({ value: s.code, label: `${s.code} — ${s.name}` }))];
}
