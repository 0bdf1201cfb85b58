// Sparse table: O(n log n) to build, O(1) range minimum. Excluding a commitment from a projection
// splits a suffix minimum into two ranges, and this keeps each such query constant time, so
// checking every commitment of a SKU stays linear instead of quadratic.

export interface RangeMin {
	/** Minimum of values[lo..hi) ; +Infinity for an empty range. */
	min(lo: number, hi: number): number;
}

export function rangeMin(values: readonly number[]): RangeMin {
	const n = values.length;
	const levels: Float64Array[] = [Float64Array.from(values)];
	for (let width = 2; width <= n; width *= 2) {
		const prev = levels[levels.length - 1];
		const half = width / 2;
		const next = new Float64Array(n - width + 1);
		for (let i = 0; i < next.length; i++) next[i] = Math.min(prev[i], prev[i + half]);
		levels.push(next);
	}
	return {
		min(lo, hi) {
			if (lo < 0) lo = 0;
			if (hi > n) hi = n;
			if (hi <= lo) return Infinity;
			const level = 31 - Math.clz32(hi - lo);
			const row = levels[level];
			return Math.min(row[lo], row[hi - (1 << level)]);
		}
	};
}
