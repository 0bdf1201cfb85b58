import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boardIdSchema } from '../../../src/lib/contract/commitments.ts';
import { boardIdFromUrl } from './yjs.transport.ts';

// A board id is one string in three places: the Yjs path, the REST bodies and the boards table.
describe('the Yjs board path', () => {
	it('accepts exactly the board ids the contract accepts', () => {
		const chars = fc.constantFrom(...'aZ09_-./%:é '.split(''));
		fc.assert(
			fc.property(fc.string({ unit: chars, maxLength: 70 }), (id) => {
				const accepted = boardIdFromUrl(`/yjs/${id}?token=x`);
				expect(accepted !== null).toBe(boardIdSchema.safeParse(id).success);
				if (accepted !== null) expect(accepted).toBe(id);
			})
		);
	});
});
