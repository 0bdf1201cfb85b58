import { expect, vi } from 'vitest';

/**
 * `vi.waitFor` for a check that answers with a value rather than asserting: retried until the value
 * is truthy, which it then returns. Vitest-only (benches import the other support modules, not this).
 */
export function waitForValue<T>(check: () => T | Promise<T | undefined | null | false>, timeout = 10_000, interval = 50): Promise<T> {
	return vi.waitFor(
		async () => {
			const v = await check();
			expect(v, 'the awaited condition').toBeTruthy();
			return v as T;
		},
		{ timeout, interval }
	);
}

/** `vi.waitFor` until `check` holds; `what` names the fact in the failure. */
export function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeout = 5000): Promise<void> {
	return vi.waitFor(async () => void expect(await check(), `waiting for ${what}`).toBe(true), { timeout, interval: 10 });
}
