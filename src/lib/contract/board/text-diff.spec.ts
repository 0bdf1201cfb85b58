import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mapPosition, setTextMinimal, textSplice } from './text-diff.ts';

describe('textSplice', () => {
	it('finds the one splice between two texts', () => {
		expect(textSplice('hello world', 'hello brave world')).toEqual({ index: 6, remove: 0, insert: 'brave ' });
		expect(textSplice('hello world', 'hello')).toEqual({ index: 5, remove: 6, insert: '' });
		expect(textSplice('abc', 'abc')).toBeNull();
		expect(textSplice('aaa', 'aaaa')).toEqual({ index: 3, remove: 0, insert: 'a' });
	});

	it('never splits a surrogate pair', () => {
		const s = textSplice('x😀', 'x😃');
		expect(s).toEqual({ index: 1, remove: 2, insert: '😃' });
	});
});

describe('setTextMinimal', () => {
	it('keeps a concurrent edit elsewhere in the text', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		a.getText('t').insert(0, 'one two three');
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		setTextMinimal(a.getText('t'), 'one 2 three');
		setTextMinimal(b.getText('t'), 'one two three four');
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(a.getText('t').toString()).toBe('one 2 three four');
		expect(b.getText('t').toString()).toBe(a.getText('t').toString());
	});
});

describe('mapPosition', () => {
	it('moves a caret by what others inserted or deleted before it', () => {
		expect(mapPosition(2, [{ retain: 1 }, { insert: 'X' }])).toBe(3);
		expect(mapPosition(2, [{ retain: 1 }, { delete: 1 }])).toBe(1);
		expect(mapPosition(2, [{ retain: 2 }, { delete: 5 }])).toBe(2);
		expect(mapPosition(2, [{ retain: 5 }, { insert: 'tail' }])).toBe(2);
		// Someone typing at our caret: we stay before their text.
		expect(mapPosition(2, [{ retain: 2 }, { insert: 'XY' }])).toBe(2);
		expect(mapPosition(3, [{ delete: 10 }])).toBe(0);
	});
});
