// Property test of the board's trust model: random sequences of allowed and forbidden edits by random
// roles, each sent as a real Yjs update into the real registry and gate. A brute-force model applies
// only what the contract allows; the live document, two relayed replicas and everything handed to
// storage must end up exactly the model: no forbidden value anywhere, no allowed edit lost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { commitmentsOf, computedOf, putCard, readCard } from '../../../src/lib/contract/board/board-doc.ts';
import type { CardValues } from '../../../src/lib/contract/board.ts';
import type { Role } from '../../../src/lib/contract/domain.ts';
import { mayChange, type CommitmentField } from '../../../src/lib/policy/commitment-fields.policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { createLogger } from '../../logger.ts';
import type { BoardDocumentStore } from '../../repositories/board-documents.repository.ts';
import { foldUpdates } from '../yjs/board-documents.saver.ts';
import { BoardDocuments } from '../yjs/board-documents.ts';
import type { ConnectionOrigin } from '../yjs/board-documents.types.ts';
import { BoardGate } from './board-gate.ts';

const log = createLogger('silent');
const ROLES: Role[] = ['sales', 'ops', 'admin', 'viewer'];
const IDS = ['a1', 'a2', 'a3'];
const SCOPE = ['W', 'E'];

type Edit =
	| { kind: 'set'; id: string; field: CommitmentField; value: unknown; valid: boolean }
	| { kind: 'create'; id: string; values: CardValues; valid: boolean }
	| { kind: 'unknownKey'; id: string; key: string }
	| { kind: 'delete'; id: string }
	| { kind: 'computed'; id: string }
	| { kind: 'format'; id: string }
	| { kind: 'topLevel' }
	| { kind: 'notes'; id: string; text: string };

const validValue: Record<Exclude<CommitmentField, 'notes'>, fc.Arbitrary<unknown>> = {
	customer: fc.constantFrom('Acme', 'Beta'),
	sku: fc.constantFrom('S-1', 'S-2'),
	qty: fc.integer({ min: 1, max: 50 }),
	requestedDate: fc.constantFrom('2027-01-10', '2027-02-01'),
	promisedDate: fc.constantFrom('2027-01-12', null),
	site: fc.constantFrom(...SCOPE, null),
	status: fc.constantFrom('requested', 'confirmed', 'cancelled'),
	owner: fc.constantFrom('x@y.z', null),
	priority: fc.integer({ min: 0, max: 9 })
};
const invalidValue: fc.Arbitrary<[CommitmentField, unknown]> = fc.constantFrom<[CommitmentField, unknown]>(
	['qty', 'lots'], ['qty', -3], ['requestedDate', 'soon'], ['status', 'stolen'], ['priority', 99], ['site', 'MARS'], ['customer', '']
);
const fields = Object.keys(validValue) as (keyof typeof validValue)[];

const edit: fc.Arbitrary<Edit> = fc.oneof(
	fc.record({ id: fc.constantFrom(...IDS), field: fc.constantFrom(...fields) }).chain(({ id, field }) =>
		validValue[field].map((value): Edit => ({ kind: 'set', id, field, value, valid: true }))
	),
	fc.record({ id: fc.constantFrom(...IDS), bad: invalidValue }).map(({ id, bad }): Edit => ({ kind: 'set', id, field: bad[0], value: bad[1], valid: false })),
	fc.record({ id: fc.constantFrom(...IDS), opsKeys: fc.boolean(), badId: fc.boolean() }).map(({ id, opsKeys, badId }): Edit => ({
		kind: 'create',
		id: badId ? `_${id}` : id,
		values: { customer: 'New', sku: 'S-9', qty: 3, requestedDate: '2027-03-01', ...(opsKeys ? { status: 'confirmed', site: 'W' } : {}) },
		valid: !badId
	})),
	fc.record({ id: fc.constantFrom(...IDS), key: fc.constantFrom('__proto__', 'constructor', 'evil') }).map((e): Edit => ({ kind: 'unknownKey', ...e })),
	fc.constantFrom(...IDS).map((id): Edit => ({ kind: 'delete', id })),
	fc.constantFrom(...IDS).map((id): Edit => ({ kind: 'computed', id })),
	fc.constantFrom(...IDS).map((id): Edit => ({ kind: 'format', id })),
	fc.constant<Edit>({ kind: 'topLevel' }),
	fc.record({ id: fc.constantFrom(...IDS), text: fc.constantFrom('ok', 'note') }).map((e): Edit => ({ kind: 'notes', ...e }))
);

/** The contract, by brute force: may `role` make `e` given the model's cards? */
function allowed(role: Role, e: Edit, model: Map<string, CardValues>): boolean {
	if (role === 'viewer') return false;
	const card = 'id' in e ? model.get(e.id) : undefined;
	switch (e.kind) {
		case 'set':
			if (!card || !e.valid) return false;
			// An absent ops field reads as its initial null (OPS_INITIAL), so writing null there changes nothing.
			return (card[e.field as keyof CardValues] ?? null) === (e.value ?? null) || mayChange(role, e.field);
		case 'create':
			return !card && e.valid && (role !== 'sales' || e.values.status === undefined);
		case 'notes':
			return !!card;
		default:
			return false;
	}
}

function principal(role: Role, n: number): Principal {
	return { kind: 'user', userId: `u-${role}`, sessionId: `s${n}`, email: `${role}@t`, name: role, role, sites: null };
}

/** What a client of `role` would send for `e`, made on a fresh replica of the server's document. */
function craft(server: Y.Doc, e: Edit): Uint8Array {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
	const before = Y.encodeStateVector(doc);
	const cards = commitmentsOf(doc);
	const card = 'id' in e ? cards.get(e.id) : undefined;
	doc.transact(() => {
		if (e.kind === 'create') putCard(doc, e.id, e.values);
		else if (e.kind === 'topLevel') doc.getMap('evil').set('x', 'EVIL');
		else if (e.kind === 'computed') computedOf(doc).set(e.id, { risk: 'ok', shortQty: 0, earliestDate: null, checkedAt: null });
		else if (e.kind === 'delete') cards.delete(e.id);
		else if (card instanceof Y.Map) {
			if (e.kind === 'set') card.set(e.field, e.value);
			else if (e.kind === 'unknownKey') card.set(e.key, 'EVIL');
			else if (e.kind === 'notes') (card.get('notes') as Y.Text).insert(0, e.text);
			else if (e.kind === 'format') (card.get('notes') as Y.Text).insert(0, 'EVIL', { bold: true });
		}
	});
	const update = Y.encodeStateAsUpdate(doc, before);
	doc.destroy();
	return update;
}

function apply(model: Map<string, CardValues>, e: Edit): void {
	if (e.kind === 'create') model.set(e.id, { notes: '', ...e.values });
	if (e.kind === 'set') model.set(e.id, { ...model.get(e.id), [e.field]: e.value });
	if (e.kind === 'notes') model.set(e.id, { ...model.get(e.id), notes: e.text + (model.get(e.id)?.notes ?? '') });
}

function cardsOf(doc: Y.Doc): Record<string, CardValues> {
	const out: Record<string, CardValues> = {};
	for (const [id, card] of commitmentsOf(doc).entries()) out[id] = card instanceof Y.Map ? { ...readCard(card) } : { customer: 'NOT A MAP' };
	return out;
}

async function run(steps: { role: Role; edit: Edit }[]): Promise<void> {
	const stored: Uint8Array[] = [];
	const store: BoardDocumentStore = {
		load: async () => ({ snapshot: null, uptoId: 0, lastId: 0, updates: [] }),
		append: async (_b, u) => stored.push(u),
		compact: async () => 0
	};
	const documents = new BoardDocuments({ store, log, flushDelayMs: 0, unloadGraceMs: 60_000 });
	const claims = new Map<number, string>();
	const gate = new BoardGate(documents, {
		claimClient: async (_b, client, owner) => (claims.has(client) ? claims.get(client)! : (claims.set(client, owner), owner)),
		foreignCards: async () => new Map(),
		scopeOf: async () => SCOPE,
		log
	});
	const detach = gate.attach();
	const replicas = [new Y.Doc(), new Y.Doc()];
	documents.onChange(({ update }) => replicas.forEach((r) => Y.applyUpdate(r, update)));
	const lease = await documents.acquire('p');
	const model = new Map<string, CardValues>();
	try {
		for (const [n, { role, edit: e }] of steps.entries()) {
			const update = craft(lease.document.doc, e);
			const denials: string[] = [];
			const origin: ConnectionOrigin = {
				kind: 'connection', id: `c${n}`, boardId: 'p', principal: principal(role, n), canWrite: role !== 'viewer', closed: false,
				deny: (reason) => denials.push(reason),
				drop: () => {}
			};
			const result = await documents.receiveUpdate(lease.document, update, origin);
			// A delete set the server already has (every update carries the whole one): nothing to judge.
			if (result === 'noop') continue;
			const expected = allowed(role, e, model);
			expect(result === 'applied', `${role} ${JSON.stringify(e)}: ${denials.join('; ')}`).toBe(expected);
			if (!expected) expect(denials.length).toBeGreaterThan(0);
			if (expected) apply(model, e);
		}
		await documents.flush('p');
		const want = Object.fromEntries(model);
		expect(cardsOf(lease.document.doc)).toEqual(want);
		for (const r of replicas) expect(cardsOf(r)).toEqual(want);
		const saved = new Y.Doc();
		Y.applyUpdate(saved, foldUpdates(stored));
		expect(cardsOf(saved)).toEqual(want);
		for (const d of [lease.document.doc, saved, ...replicas]) {
			expect(computedOf(d).size).toBe(0);
			expect([...d.share.keys()].sort()).toEqual(['commitments', 'computed'].filter((k) => d.share.has(k)));
			expect(JSON.stringify(d.toJSON())).not.toContain('EVIL');
		}
	} finally {
		lease.release();
		detach();
		await documents.close();
	}
}

describe('board gate, property', () => {
	it('never lets a forbidden edit reach the live document, a replica or storage, and keeps every allowed one', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.record({ role: fc.constantFrom(...ROLES), edit }), { minLength: 1, maxLength: 25 }), (steps) => run(steps)),
			{ numRuns: 150 }
		);
	});

	it('refuses struct-level attacks a visible diff would miss: a value overwritten in the same update', async () => {
		await run([{ role: 'ops', edit: { kind: 'create', id: 'a1', values: { customer: 'C', sku: 'S', qty: 1, requestedDate: '2027-01-01' }, valid: true } }]);
		const store: BoardDocumentStore = { load: async () => ({ snapshot: null, uptoId: 0, lastId: 0, updates: [] }), append: async () => 1, compact: async () => 0 };
		const documents = new BoardDocuments({ store, log, flushDelayMs: 0 });
		const gate = new BoardGate(documents, { claimClient: async (_b, _c, o) => o, foreignCards: async () => new Map(), scopeOf: async () => null, log });
		const detach = gate.attach();
		const lease = await documents.acquire('q');
		// Without garbage collection the overwritten Y.Text travels whole, though nobody would see it.
		const doc = new Y.Doc({ gc: false });
		doc.transact(() => {
			const card = putCard(doc, 'z1', { customer: 'C', sku: 'S', qty: 1, requestedDate: '2027-01-01' });
			card.set('customer', new Y.Text('EVIL hidden in a replaced value'));
			card.set('customer', 'C');
		});
		const denials: string[] = [];
		const origin: ConnectionOrigin = {
			kind: 'connection', id: 'x', boardId: 'q', principal: principal('ops', 0), canWrite: true, closed: false, deny: (r) => denials.push(r), drop: () => {}
		};
		expect(await documents.receiveUpdate(lease.document, Y.encodeStateAsUpdate(doc), origin)).toBe('denied');
		expect(denials.join()).toMatch(/customer must be a plain value/);
		expect(commitmentsOf(lease.document.doc).size).toBe(0);
		lease.release();
		detach();
		await documents.close();
	});
});
