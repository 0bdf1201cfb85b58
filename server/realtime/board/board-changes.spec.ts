import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { putCard } from '../../../src/lib/contract/board/board-doc.ts';
import { touchesOf, WHOLE_CARD, type BoardTouches } from './board-changes.ts';

function touched(doc: Y.Doc, edit: () => void): BoardTouches {
	let out!: BoardTouches;
	const on = (_u: Uint8Array, _o: unknown, _d: Y.Doc, tr: Y.Transaction) => (out = touchesOf(doc, tr));
	doc.on('update', on);
	doc.transact(edit);
	doc.off('update', on);
	return out;
}

describe('touchesOf', () => {
	const doc = new Y.Doc();
	doc.transact(() => putCard(doc, 'c1', { customer: 'Acme', qty: 1, notes: 'hi' }));
	const card = doc.getMap('commitments').get('c1') as Y.Map<unknown>;

	it('names the card and key of a field edit, a notes edit and a nested crafted type', () => {
		expect(touched(doc, () => card.set('qty', 2)).cards).toEqual(new Map([['c1', new Set(['qty'])]]));
		expect(touched(doc, () => (card.get('notes') as Y.Text).insert(0, 'x')).cards).toEqual(new Map([['c1', new Set(['notes'])]]));
		doc.transact(() => card.set('evil', new Y.Map([['deep', new Y.Map()]])));
		const deep = (card.get('evil') as Y.Map<Y.Map<number>>).get('deep')!;
		expect(touched(doc, () => deep.set('x', 1)).cards).toEqual(new Map([['c1', new Set(['evil'])]]));
	});

	it('marks added or deleted cards whole, computed entries by id, and anything else as other', () => {
		expect(touched(doc, () => putCard(doc, 'c2', { customer: 'B' })).cards).toEqual(new Map([['c2', new Set([WHOLE_CARD])]]));
		expect(touched(doc, () => doc.getMap('commitments').delete('c2')).cards).toEqual(new Map([['c2', new Set([WHOLE_CARD])]]));
		expect([...touched(doc, () => doc.getMap('computed').set('c1', { risk: 'ok' })).computed]).toEqual(['c1']);
		expect(touched(doc, () => doc.getText('log').insert(0, 'x')).other).toBe(true);
	});
});
