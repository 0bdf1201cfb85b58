import type * as Y from 'yjs';

/** The single splice that turns `from` into `to`: common prefix and suffix kept, the middle replaced. */
export function textSplice(from: string, to: string): { index: number; remove: number; insert: string } | null {
	if (from === to) return null;
	let start = 0;
	const max = Math.min(from.length, to.length);
	while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
	let end = 0;
	while (end < max - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
	// Never split a surrogate pair: Y.Text counts UTF-16 units like we do, but half a pair is no text.
	if (start > 0 && isHighSurrogate(from.charCodeAt(start - 1))) start--;
	if (end > 0 && isLowSurrogate(from.charCodeAt(from.length - end))) end--;
	return { index: start, remove: from.length - start - end, insert: to.slice(start, to.length - end) };
}

function isHighSurrogate(c: number): boolean {
	return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
	return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Makes `text` read `next` with the smallest edit we can find cheaply. Replacing the whole text
 * would delete what a co-editor typed meanwhile; a splice around the change keeps it.
 */
export function setTextMinimal(text: Y.Text, next: string): void {
	const splice = textSplice(text.toString(), next);
	if (!splice) return;
	if (splice.remove > 0) text.delete(splice.index, splice.remove);
	if (splice.insert) text.insert(splice.index, splice.insert);
}

/** Where a caret at `pos` lands after a Y.Text delta (someone else's edit). */
export function mapPosition(pos: number, delta: { retain?: number; insert?: unknown; delete?: number }[]): number {
	let old = 0; // index in the text before the delta
	let shift = 0;
	for (const op of delta) {
		if (old > pos) break;
		if (op.retain) old += op.retain;
		else if (op.insert !== undefined) {
			// An insert exactly at our caret stays after it: two people typing at the same spot then
			// each extend their own run (Yjs keeps runs whole) instead of interleaving letters.
			if (old < pos) shift += typeof op.insert === 'string' ? op.insert.length : 1;
		} else if (op.delete) {
			shift -= Math.min(op.delete, Math.max(0, pos - old));
			old += op.delete;
		}
	}
	return Math.max(0, pos + shift);
}
