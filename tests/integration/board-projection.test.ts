// The projection of a board's stored update log into the commitments table, with several nodes'
// projections racing over the same rows: each change lands once, in log order, with its author.
// Four BoardProjection instances (one per "node", each with its own log replica) are driven at
// once while rows are appended; qty only ever grows in the log, so any stale or repeated projection
// would show in the history as a repeated or shrinking step.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { cardOf, putCard } from '../../src/lib/contract/board/board-doc.ts';
import { addDays } from '../../src/lib/core/dates.ts';
import { createLogger } from '../../server/logger.ts';
import { BoardProjection } from '../../server/realtime/board/board-projection.ts';
import { BoardDocuments } from '../../server/realtime/yjs/board-documents.ts';
import { createBoardDocumentsRepository } from '../../server/repositories/board-documents.repository.ts';
import type { BoardService } from '../../server/services/board.service.ts';
import { startTestNode, type TestNode } from '../support/node.ts';

const log = createLogger('silent');
const D = (n: number) => addDays(new Date().toISOString().slice(0, 10), n);
let node: TestNode;

beforeAll(async () => {
	node = await startTestNode('projection', { web: false, workers: false });
});
afterAll(async () => {
	await node?.stop();
});

/**
 * `n` projections as separate nodes would run them. Each pauses a random moment between reading
 * the log and storing what it read, inside its transaction, so that without the cursor lock a
 * slower one would store a stale state over a newer one.
 */
function projections(n: number): BoardProjection[] {
	const store = createBoardDocumentsRepository(node.sql);
	const real = node.services.board;
	const dawdling = {
		projectLog: (boardId, plan) =>
			real.projectLog(boardId, async (cursor, readTail) => {
				const planned = await plan(cursor, readTail);
				await new Promise((r) => setTimeout(r, Math.random() * 8));
				return planned;
			})
	} satisfies Pick<BoardService, 'projectLog'> as unknown as BoardService;
	return Array.from({ length: n }, () => new BoardProjection(new BoardDocuments({ store, log }), dawdling, node.repos.boardLog, () => {}, log, { batchRows: 3 }));
}

describe('board projection from the stored log', () => {
	it('projects every change once and in order while four nodes race over the same rows', async () => {
		const store = createBoardDocumentsRepository(node.sql);
		const racers = projections(4);
		const doc = new Y.Doc();
		const cards = ['c0', 'c1', 'c2', 'c3'];
		const runs: Promise<void>[] = [];
		for (let step = 0; step < 60; step++) {
			const id = cards[step % cards.length];
			const author = `user${step % 3}@race.local`;
			let update: Uint8Array | null = null;
			doc.once('update', (u: Uint8Array) => (update = u));
			doc.transact(() => {
				const card = cardOf(doc, id);
				if (card) card.set('qty', (card.get('qty') as number) + 1);
				else putCard(doc, id, { customer: `Customer ${id}`, sku: 'R-1', qty: 1, requestedDate: D(3) });
			});
			const rowId = await store.append('race', update!, { [id]: { [step < cards.length ? '*' : 'qty']: author } });
			// Every racer is asked for the new row; they overlap with each other and with the appends.
			for (const racer of racers) runs.push(racer.projectThrough('race', rowId));
		}
		await Promise.all(runs);

		const [{ last, projected }] = await node.sql<{ last: number; projected: number }[]>`
			select (select max(id) from board_updates where board_id = 'race') as last,
				(select upto_id from board_projections where board_id = 'race') as projected`;
		expect(projected).toBe(last);
		for (const id of cards) {
			const [row] = await node.sql<{ qty: number }[]>`select qty from commitments where id = ${id}`;
			expect(row.qty).toBe(cardOf(doc, id)!.get('qty'));
			const history = await node.sql<{ kind: string; field: string | null; oldValue: string | null; newValue: string | null; actor: string }[]>`
				select kind, field, old_value, new_value, actor from commitment_history where commitment_id = ${id} order by id`;
			expect(history.filter((h) => h.kind === 'create')).toHaveLength(1);
			expect(history[0]).toMatchObject({ kind: 'create', actor: 'user' + (cards.indexOf(id) % 3) + '@race.local' });
			const steps = history.slice(1);
			expect(steps.every((h) => h.kind === 'change' && h.field === 'qty')).toBe(true);
			// A chain that only grows: each step starts where the previous one ended.
			let qty = 1;
			for (const h of steps) {
				expect(Number(h.oldValue)).toBe(qty);
				expect(Number(h.newValue)).toBeGreaterThan(qty);
				qty = Number(h.newValue);
			}
			expect(qty).toBe(row.qty);
		}
		await Promise.all(racers.map((r) => r.close()));
	});

	it('projects what a node saved but never projected when another node looks (the sweep), and records who wrote it', async () => {
		const store = createBoardDocumentsRepository(node.sql);
		const doc = new Y.Doc();
		let update: Uint8Array | null = null;
		doc.once('update', (u: Uint8Array) => (update = u));
		doc.transact(() => putCard(doc, 'orphan', { customer: 'Saved, then the node died', sku: 'O-1', qty: 2, requestedDate: D(2) }));
		// The saving node died right after its append: nobody projected the row.
		await store.append('orphans', update!, { orphan: { '*': 'ghost@race.local' } });

		const documents = new BoardDocuments({ store, log });
		const survivor = new BoardProjection(documents, node.services.board, node.repos.boardLog, () => {}, log, { everyMs: 100 });
		const detach = survivor.attach();
		const lease = await documents.acquire('orphans');
		try {
			await vi.waitFor(async () => expect((await node.sql`select customer from commitments where id = 'orphan'`)[0]?.customer).toBe('Saved, then the node died'), { timeout: 5000 });
			const history = await node.sql`select kind, actor from commitment_history where commitment_id = 'orphan'`;
			expect(history).toEqual([{ kind: 'create', actor: 'ghost@race.local' }]);
		} finally {
			lease.release();
			detach();
			await survivor.close();
			await documents.close();
		}
	});
});
