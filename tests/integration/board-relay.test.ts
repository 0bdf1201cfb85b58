// The pieces that carry a board between web nodes, two "nodes" in one process on one database and
// Redis prefix: the relay, the catch-up from the log, and the rescue of a relayed update whose
// author's node died before saving it. The nodes' timers are off; the test drives each step.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { putCard } from '../../src/lib/contract/board/board-doc.ts';
import { addDays } from '../../src/lib/core/dates.ts';
import { createLogger } from '../../server/logger.ts';
import { BoardCatchup } from '../../server/realtime/board/board-catchup.ts';
import { BoardRelay } from '../../server/realtime/board/board-relay.ts';
import { RelayedUpdates } from '../../server/realtime/board/board-rescue.ts';
import { BoardDocuments } from '../../server/realtime/yjs/board-documents.ts';
import { createBoardDocumentsRepository } from '../../server/repositories/board-documents.repository.ts';
import { BoardLogRepository } from '../../server/repositories/board-log.repository.ts';
import { createTestServices, type TestServices } from '../support/services.ts';

const log = createLogger('silent');
const D = (n: number) => addDays(new Date().toISOString().slice(0, 10), n);
const HOUR = 3_600_000;
// Generous: the suite shares two cores with node processes of other files.
const wait = { timeout: 20_000, interval: 20 };
let svc: TestServices;
let redis: Redis;

beforeAll(async () => {
	svc = await createTestServices('relay');
	redis = new Redis(svc.redisUrl, { maxRetriesPerRequest: null });
});
afterAll(async () => {
	redis?.disconnect();
	await svc?.teardown();
});

/** One node's board machinery; nothing saves or sweeps unless the test says so. */
function node() {
	const documents = new BoardDocuments({ store: createBoardDocumentsRepository(svc.sql), log, flushDelayMs: HOUR });
	const relayed = new RelayedUpdates(documents, log, { rescueAfterMs: 1000 });
	const catchup = new BoardCatchup(documents, new BoardLogRepository(svc.sql), log, { everyMs: HOUR }, relayed);
	const relay = new BoardRelay({ redis, prefix: svc.redisPrefix, documents, log, onRelayed: (b, u) => relayed.relayed(b, u) });
	const offs = [relayed.attach(), catchup.attach(), relay.attach()];
	return {
		documents, relayed, catchup, relay,
		async close() {
			await relay.close();
			catchup.close();
			offs.forEach((off) => off());
			await documents.close();
		}
	};
}

const addCard = (n: ReturnType<typeof node>, id: string) =>
	n.documents.transact('r', (doc) => putCard(doc, id, { customer: id, sku: 'R-1', qty: 1, requestedDate: D(2) }));
const rows = async () => (await svc.sql<{ n: number }[]>`select count(*)::int as n from board_updates where board_id = 'r'`)[0].n;

async function storedCards(): Promise<string[]> {
	const { snapshot, updates } = await createBoardDocumentsRepository(svc.sql).load('r');
	const doc = new Y.Doc();
	for (const u of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, u);
	return [...doc.getMap('commitments').keys()].sort();
}

describe('boards between nodes', () => {
	it('relays, catches up, and saves a relayed update its dead author node never stored — and only that one', async () => {
		const [a, b] = [node(), node()];
		try {
			await Promise.all([a.documents.acquire('r'), b.documents.acquire('r')]);
			await vi.waitFor(async () => expect((await redis.pubsub('NUMSUB', `${svc.redisPrefix}:board:r`))[1]).toBe(2), wait);
			const commitments = async (n: ReturnType<typeof node>) => [...(await n.documents.getDocument('r')).getMap('commitments').keys()];

			// Saved by its author node: the other node gets it through Redis, and reads it back from the log.
			await addCard(a, 'saved');
			await a.documents.flush('r');
			await vi.waitFor(async () => expect(await commitments(b)).toContain('saved'), wait);
			// Relayed, then node a dies before its save: only b holds it.
			await addCard(a, 'lost');
			await vi.waitFor(async () => expect(await commitments(b)).toContain('lost'), wait);
			await a.relay.close();
			await b.catchup.catchUp('r');
			expect(await storedCards()).toEqual(['saved']);

			// Young: still expected from its author.
			b.relayed.sweep(Date.now());
			await b.documents.flush('r');
			expect(await rows()).toBe(1);
			// Missing too long: b saves it; what the log already shows is not saved again.
			b.relayed.sweep(Date.now() + 5000);
			await b.documents.flush('r');
			expect(await rows()).toBe(2);
			expect(await storedCards()).toEqual(['lost', 'saved']);
			// The rescued row holds a's structs from where its own saved row ends: 'lost' only.
			const [first, rescued] = (await svc.sql<{ update: Buffer }[]>`select update from board_updates where board_id = 'r' order by id`).map((r) =>
				Y.parseUpdateMeta(new Uint8Array(r.update))
			);
			const { clientID } = await a.documents.getDocument('r');
			expect(rescued.from.get(clientID)).toBe(first.to.get(clientID));
		} finally {
			await b.close();
			await a.close();
		}
	});
});
