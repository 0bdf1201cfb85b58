import type { ClassValue } from 'svelte/elements';

export type { ClassValue };

/**
 * Joins class values (strings, arrays, `{ cls: condition }` objects), clsx-style.
 * No tailwind-merge is installed: caller classes are appended, not de-duplicated, so override a
 * conflicting utility with Tailwind 4's `!` suffix (e.g. `h-12!`) or use a variant/size prop.
 */
export function cn(...inputs: (ClassValue | null | undefined | false)[]): string {
	const out: string[] = [];
	const walk = (v: ClassValue | null | undefined | false): void => {
		if (!v) return;
		if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
		else if (Array.isArray(v)) v.forEach((x) => walk(x as ClassValue));
		else if (typeof v === 'object') for (const [k, on] of Object.entries(v)) if (on) out.push(k);
	};
	inputs.forEach(walk);
	return out.join(' ');
}

/** Adds a bindable `ref` to element props (shadcn-svelte convention). */
export type WithElementRef<T, U extends HTMLElement = HTMLElement> = T & { ref?: U | null };

/** Shared focus ring for interactive elements. */
export const focusRing =
	'outline-hidden focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background';
