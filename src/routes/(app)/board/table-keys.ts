// Keys of the dense table: arrows, pages and the ends move the active row; `/` jumps to the filter.

const MOVES: Record<string, { from: 'active' | 'edge'; delta: number }> = {
	ArrowDown: { from: 'active', delta: 1 },
	ArrowUp: { from: 'active', delta: -1 },
	PageDown: { from: 'active', delta: 10 },
	PageUp: { from: 'active', delta: -10 },
	Home: { from: 'edge', delta: 1 },
	End: { from: 'edge', delta: -1 }
};

export function keyMove(key: string): { from: 'active' | 'edge'; delta: number } | undefined {
	return Object.hasOwn(MOVES, key) ? MOVES[key] : undefined;
}

/** `/` typed outside a text field (where it is just a character). */
export function typedSlash(e: KeyboardEvent): boolean {
	if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return false;
	const t = e.target as HTMLElement | null;
	return !(t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName)));
}
