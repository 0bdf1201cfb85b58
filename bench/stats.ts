export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

export function summary(samples: number[]) {
	const s = [...samples].sort((a, b) => a - b);
	return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN };
}

export const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** Times `fn` n times and returns the samples in milliseconds. */
export async function sample(n: number, fn: () => Promise<unknown>): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		await fn();
		out.push(performance.now() - t);
	}
	return out;
}
