// Hostile board clients, through the official y-websocket provider and through raw y-protocols frames.
// For every class of forbidden edit: nothing is stored, nothing reaches a second client, the author is
// told why, and honest edits around it survive. Prints a table of the cases.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { putCard } from '../../src/lib/contract/board/board-doc.ts';
import { addDays } from '../../src/lib/core/dates.ts';
import type { Role } from '../../src/lib/contract/domain.ts';
import { userCookie } from '../support/api.ts';
import { addCard, boardClient, card, type BoardClient } from '../support/yjs.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { waitForValue } from '../support/wait.ts';
import { caseTable } from './harness.ts';

let node: TestNode;
const cookies = {} as Record<Role, string>;
const clients: BoardClient[] = [];
const table = caseTable();
const D = (n: number) => addDays(new Date().toISOString().slice(0, 10), n);
const MARK = 'EVIL-MARK';
let witness: BoardClient;
/** Every state of the witness's document, as JSON: what a second client ever saw. */
const witnessed: string[] = [];

function client(role: Role, board = 'main'): BoardClient {
	const c = boardClient(node.url, board, cookies[role]);
	clients.push(c);
	return c;
}

async function fresh(role: Role, board = 'main'): Promise<BoardClient> {
	const c = client(role, board);
	await c.synced;
	return c;
}

const storedBytes = async (board = 'main') =>
	Buffer.concat((await node.sql<{ update: Buffer }[]>`select update from board_updates where board_id = ${board}`).map((r) => r.update));

/** An honest edit by the witness, waited for until it is stored: proves the moment under test passed. */
async function honestEditLands(label: string): Promise<void> {
	(card(witness, 'h1')!.get('notes') as Y.Text).insert(0, `${label};`);
	await waitForValue(async () => (await storedBytes()).includes(label) && (await node.sql`select notes from commitments where id = 'h1'`)[0]?.notes.includes(label));
}

function nothingLeaked(name: string): Promise<void> {
	expect(witnessed.some((s) => s.includes(MARK)), `${name}: relayed`).toBe(false);
	return storedBytes().then((bytes) => expect(bytes.includes(MARK), `${name}: stored`).toBe(false));
}

/**
 * One provider attack: `attack` edits the attacker's replica; the server must refuse it with 4409 and
 * a reason matching `why`. Meanwhile the witness (ops) makes an honest edit that must be stored.
 */
async function refused(name: string, role: Role, why: RegExp, attack: (c: BoardClient) => void): Promise<void> {
	const attacker = await fresh(role);
	attack(attacker);
	const closed = await attacker.closed;
	expect(closed.code, name).toBe(4409);
	expect(attacker.denials.join('\n'), name).toMatch(why);
	await honestEditLands(`honest ${name}`);
	await nothingLeaked(name);
	table.record({ channel: 'Yjs provider', attack: name, target: role, expected: '4409 + reason', got: `${closed.code} ${attacker.denials.at(-1)?.slice(9, 70)}` });
}

beforeAll(async () => {
	node = await startTestNode('hostile', { env: { BOARD_MAX_BYTES: String(64 * 1024) } });
	for (const role of ['sales', 'ops', 'admin', 'viewer'] as const) cookies[role] = await userCookie(node, `${role}@hostile.local`, role);
	await node.sql`insert into boards (id, name, sites) values ('b2', 'Second board', null), ('west', 'West only', ${node.sql.array(['W'])})`;
	witness = await fresh('ops');
	witness.doc.on('update', () => witnessed.push(JSON.stringify(witness.doc.toJSON())));
	addCard(witness, 'h1', { customer: 'Honest', sku: 'H-1', qty: 5, requestedDate: D(3), promisedDate: D(4), site: 'W', status: 'confirmed' });
	await waitForValue(async () => (await node.sql`select 1 from commitments where id = 'h1'`)[0]);
});
afterAll(async () => {
	table.print('Hostile board clients');
	clients.forEach((c) => c.destroy());
	await node?.stop();
});

describe('hostile board edits through the official provider', () => {
	it('refuses keys and value types outside the card schema, names special to JavaScript included', async () => {
		await refused('unknown key', 'sales', /evil is not a commitment field/, (c) => card(c, 'h1')!.set('evil', MARK));
		await refused('__proto__ key', 'sales', /__proto__ is not a commitment field/, (c) => card(c, 'h1')!.set('__proto__', MARK));
		await refused('constructor key', 'ops', /constructor is not a commitment field/, (c) => card(c, 'h1')!.set('constructor', { polluted: MARK }));
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		await refused('Y.Text as a value', 'sales', /customer must be a plain value/, (c) => card(c, 'h1')!.set('customer', new Y.Text(MARK)));
		await refused('Y.Map as a value', 'sales', /qty must be a plain value/, (c) => {
			const m = new Y.Map();
			card(c, 'h1')!.set('qty', m);
			m.set('x', MARK);
		});
		await refused('invalid value', 'sales', /qty/, (c) => card(c, 'h1')!.set('qty', `${MARK} lots`));
		await refused('notes as a plain string', 'ops', /notes are edited in place|notes must be collaborative text/, (c) => card(c, 'h1')!.set('notes', MARK));
		await refused('formatting in notes', 'sales', /plain text/, (c) => (card(c, 'h1')!.get('notes') as Y.Text).insert(0, MARK, { bold: true }));
		await refused('embed in notes', 'ops', /plain text/, (c) => (card(c, 'h1')!.get('notes') as Y.Text).insertEmbed(0, { img: MARK }));
	});

	it('refuses new top-level types, client writes to computed, deleting or replacing a card', async () => {
		await refused('new top-level map', 'ops', /no new top-level types|only the commitments map/, (c) => c.doc.getMap('evil').set('x', MARK));
		await refused('new top-level array', 'admin', /no new top-level types|only the commitments map/, (c) => c.doc.getArray('evil2').push([MARK]));
		await refused('write to computed', 'ops', /computed/, (c) => c.computed.set('h1', { risk: MARK }));
		await refused('delete a card (sales)', 'sales', /never deleted/, (c) => c.commitments.delete('h1'));
		await refused('delete a card (admin)', 'admin', /never deleted/, (c) => c.commitments.delete('h1'));
		await refused('replace a card', 'ops', /never replaced/, (c) => addCard(c, 'h1', { customer: MARK, sku: 'H-1', qty: 5, requestedDate: D(3) }));
		expect(card(witness, 'h1')!.get('customer')).toBe('Honest');
	});

	it('refuses field ownership violations, bad card ids and ids of another board', async () => {
		await refused('sales sets an ops field', 'sales', /sales may not change promisedDate/, (c) => card(c, 'h1')!.set('promisedDate', '2031-01-01'));
		await refused('ops sets a sales field', 'ops', /ops may not change customer/, (c) => card(c, 'h1')!.set('customer', MARK));
		await refused('sales creates a confirmed card', 'sales', /sales may create a commitment only with status/, (c) =>
			addCard(c, 'h2', { customer: MARK, sku: 'H-2', qty: 1, requestedDate: D(5), status: 'confirmed' })
		);
		for (const id of ['__proto__', '-dash', 'has space', 'x'.repeat(129)]) {
			await refused(`card id ${id.slice(0, 12)}`, 'ops', /not a valid commitment id/, (c) => addCard(c, id, { customer: MARK, sku: 'H-3', qty: 1, requestedDate: D(5) }));
		}
		const other = await fresh('ops', 'b2');
		addCard(other, 'b2-own', { customer: 'Other board', sku: 'H-4', qty: 1, requestedDate: D(5) });
		await waitForValue(async () => (await node.sql`select 1 from commitments where id = 'b2-own'`)[0]);
		await refused('card id of another board', 'ops', /belongs to board b2/, (c) => addCard(c, 'b2-own', { customer: MARK, sku: 'H-4', qty: 1, requestedDate: D(5) }));
		const still = await node.sql`select board_id, customer from commitments where id = 'b2-own'`;
		expect(still[0]).toMatchObject({ boardId: 'b2', customer: 'Other board' });
	});

	it("refuses a card site outside the board's scope, and takes one inside it", async () => {
		const westWitness = await fresh('ops', 'west');
		const attacker = await fresh('ops', 'west');
		addCard(attacker, 'w-out', { customer: MARK, sku: 'W-1', qty: 1, requestedDate: D(5), site: 'E' });
		expect((await attacker.closed).code).toBe(4409);
		expect(attacker.denials.join('\n')).toMatch(/site E is outside this board's sites/);
		addCard(westWitness, 'w-in', { customer: 'Inside', sku: 'W-1', qty: 1, requestedDate: D(5), site: 'W' });
		await waitForValue(async () => (await node.sql`select 1 from commitments where id = 'w-in'`)[0]);
		expect(card(westWitness, 'w-out')).toBeUndefined();
		expect(await node.sql`select 1 from commitments where id = 'w-out'`).toHaveLength(0);
		table.record({ channel: 'Yjs provider', attack: 'card site outside the board scope', target: 'ops', expected: '4409 + reason', got: `4409 ${attacker.denials.at(-1)?.slice(9, 70)}` });
	});

	it('refuses an edit that would take the board over its maximum size', async () => {
		await refused('board over its maximum size', 'ops', /maximum size/, (c) =>
			c.doc.transact(() => {
				for (let i = 0; i < 5; i++) putCard(c.doc, `big-${i}`, { customer: 'Big', sku: 'B-1', qty: 1, requestedDate: D(5), notes: MARK + 'x'.repeat(15_000) });
			})
		);
	});
});

interface RawPeer {
	ws: WebSocket;
	closed: Promise<{ code: number; reason: string }>;
	denials: string[];
	ready: Promise<void>;
}

function rawPeer(role: Role): RawPeer {
	const ws = new WebSocket(`${node.url.replace('http', 'ws')}/yjs/main`, { headers: { cookie: cookies[role], origin: node.url } });
	const denials: string[] = [];
	let ready!: () => void;
	const readyP = new Promise<void>((r) => (ready = r));
	ws.on('message', (data: Buffer) => {
		ready();
		if (data[0] === 2) denials.push(data.subarray(2).toString());
	});
	ws.on('error', () => {});
	const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
	return { ws, closed, denials, ready: readyP };
}

function syncUpdate(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, 2);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

/** A replica of what the witness holds, to craft continuations of it. */
function replica(): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(witness.doc));
	return doc;
}

function edit(doc: Y.Doc, fn: (doc: Y.Doc) => void): Uint8Array {
	const before = Y.encodeStateVector(doc);
	doc.transact(() => fn(doc));
	return Y.encodeStateAsUpdate(doc, before);
}

async function rawRefused(name: string, role: Role, update: Uint8Array, why: RegExp): Promise<void> {
	const peer = rawPeer(role);
	await peer.ready;
	peer.ws.send(syncUpdate(update));
	const closed = await peer.closed;
	expect(closed.code, name).toBe(4409);
	expect(peer.denials.join('\n'), name).toMatch(why);
	await honestEditLands(`honest ${name}`);
	await nothingLeaked(name);
	table.record({ channel: 'raw y-protocols', attack: name, target: role, expected: '4409 + reason', got: `${closed.code} ${peer.denials.at(-1)?.slice(9, 70)}` });
}

describe('hostile board frames (raw y-protocols)', () => {
	it("refuses structs under another live connection's or another principal's Yjs client id", async () => {
		const forged = replica();
		forged.clientID = witness.doc.clientID;
		await rawRefused('client id of a live connection', 'ops', edit(forged, (d) => (d.getMap('commitments').get('h1') as Y.Map<unknown>).set('owner', MARK)), /in use by another connection|belongs to someone else/);

		const gone = await fresh('sales');
		(card(gone, 'h1')!.get('notes') as Y.Text).insert(0, 'sales was here;');
		await waitForValue(async () => (card(witness, 'h1')!.get('notes') as Y.Text).toString().includes('sales was here'));
		const goneId = gone.doc.clientID;
		gone.destroy();
		const squat = replica();
		squat.clientID = goneId;
		await rawRefused("client id of another principal (offline)", 'ops', edit(squat, (d) => ((d.getMap('commitments').get('h1') as Y.Map<unknown>).get('notes') as Y.Text).insert(0, MARK)), /belongs to someone else/);
	});

	it('refuses structs the server cannot integrate now, and keeps none of them pending', async () => {
		const author = replica();
		const first = edit(author, (d) => putCard(d, 'gap1', { customer: 'Gap', sku: 'G-1', qty: 1, requestedDate: D(5) }));
		const second = edit(author, (d) => ((d.getMap('commitments').get('h1') as Y.Map<unknown>).get('notes') as Y.Text).insert(0, MARK));
		await rawRefused('update with missing dependencies', 'ops', second, /depends on changes the server does not have/);
		// The missing part, sent later by someone else, carries nothing of the refused one in.
		const carrier = rawPeer('ops');
		await carrier.ready;
		carrier.ws.send(syncUpdate(first));
		await waitForValue(async () => card(witness, 'gap1') !== undefined);
		const late = await fresh('ops');
		expect(late.doc.store.pendingStructs).toBeNull();
		expect(JSON.stringify(late.doc.toJSON())).not.toContain(MARK);
		carrier.ws.close();
	});

	it('refuses crafted updates a provider would not send: overwritten values carrying content', async () => {
		const doc = new Y.Doc({ gc: false });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(witness.doc));
		const update = edit(doc, (d) => {
			const c = d.getMap('commitments').get('h1') as Y.Map<unknown>;
			c.set('qty', new Y.Text(MARK));
			c.set('qty', 6);
		});
		await rawRefused('hidden overwritten Y.Text', 'sales', update, /qty must be a plain value/);
	});

	it('closes a connection over its traffic budget with 4429, others keep working', async () => {
		const peer = rawPeer('viewer');
		await peer.ready;
		const ping = new Uint8Array([3]); // query awareness: cheap, allowed, counted
		for (let i = 0; i < 1100 && peer.ws.readyState === WebSocket.OPEN; i++) peer.ws.send(ping);
		const closed = await peer.closed;
		expect(closed.code).toBe(4429);
		table.record({ channel: 'raw y-protocols', attack: '1,100 messages at once', target: 'viewer', expected: '4429', got: String(closed.code) });
		await honestEditLands('after flood');
	});
});

describe('hostile presence', () => {
	it('takes names and roles from the principal, and lets nobody set someone else\'s entry; viewers may show presence', async () => {
		const viewer = await fresh('viewer');
		viewer.provider.awareness.setLocalState({ user: { name: 'The CEO', email: 'ceo@evil', role: 'admin', color: '#000000' }, focus: { card: 'h1', field: 'qty', typing: true }, extra: MARK });
		await waitForValue(async () => (witness.provider.awareness.getStates().get(viewer.doc.clientID) as { user?: { role?: string } } | undefined)?.user?.role === 'viewer');
		const state = witness.provider.awareness.getStates().get(viewer.doc.clientID) as Record<string, unknown>;
		expect(state).toEqual({ user: { name: 'viewer', email: 'viewer@hostile.local', role: 'viewer', color: '#000000' }, focus: { card: 'h1', field: 'qty', typing: true } });

		// A forged awareness entry for the witness's own client id, sent raw.
		const forged = new awarenessProtocol.Awareness(new Y.Doc());
		forged.clientID = witness.doc.clientID;
		forged.setLocalState({ user: { name: MARK, role: 'admin' } });
		(forged as unknown as { meta: Map<number, { clock: number }> }).meta.get(witness.doc.clientID)!.clock = 1_000_000;
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, 1);
		encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(forged, [witness.doc.clientID]));
		const peer = rawPeer('sales');
		await peer.ready;
		peer.ws.send(encoding.toUint8Array(e));
		viewer.provider.awareness.setLocalStateField('focus', { card: null, field: null, typing: false });
		await waitForValue(async () => (witness.provider.awareness.getStates().get(viewer.doc.clientID) as { focus?: { card: unknown } })?.focus?.card === null);
		const states = [...witness.provider.awareness.getStates().values()].map((s) => JSON.stringify(s));
		expect(states.some((s) => s.includes(MARK))).toBe(false);
		peer.ws.close();
		table.record({ channel: 'awareness', attack: 'impersonation, foreign entry', target: 'viewer, sales', expected: 'principal wins, dropped', got: 'principal wins, dropped' });
	});
});
