import { OUTBOX_TOPICS, type OutboxTopic, type SubscribeRequest, type Subscription } from '../../src/lib/contract/socket-events.ts';
import { boardOfToken, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { OutboxRow } from '../repositories/outbox.repository.ts';
import { intern } from './socket.memory.ts';

/**
 * Rooms are per topic and place: `alert|site:WH`, `position|site:WH|sku:S-1`, `position|sku:S-1` (an
 * all-sites principal following some SKUs). The relay emits each row once to the union of the rooms
 * it belongs to, and Socket.IO encodes it once for all of them.
 */
export const ALL_SITES_ROOM = 'sites:*';
/** Most rooms one subscription joins for site × SKU pairs; beyond it, the SKU narrowing is dropped. */
export const MAX_PAIR_ROOMS = 5000;

export const everything = (): Subscription => ({ topics: [...OUTBOX_TOPICS], positions: { sites: null, skus: null }, alerts: { sites: null } });

const boardRoom = (board: string) => intern(`commitment|board:${board}`);
const places = (sites: string[] | null) => (sites === null ? [ALL_SITES_ROOM] : sites.map((s) => `site:${s}`));

/** The rooms a socket of this principal joins for `sub`. */
export function roomsFor(p: Principal, sub: Subscription = everything()): string[] {
	const visible = visibleSites(p);
	const board = boardOfToken(p);
	const rooms: string[] = [];
	for (const t of sub.topics) {
		if (t === 'commitment') rooms.push(...(board !== null ? [boardRoom(board)] : places(visible).map((pl) => `commitment|${pl}`)));
		else if (t === 'alert') rooms.push(...places(sub.alerts.sites ?? visible).map((pl) => `alert|${pl}`));
		else rooms.push(...positionRooms(visible, sub.positions));
	}
	return rooms.map(intern);
}

function positionRooms(visible: string[] | null, f: Subscription['positions']): string[] {
	const sites = f.sites ?? visible;
	if (f.skus === null) return places(sites).map((pl) => `position|${pl}`);
	if (sites === null) return f.skus.map((sku) => `position|sku:${sku}`);
	return sites.flatMap((site) => f.skus!.map((sku) => `position|site:${site}|sku:${sku}`));
}

/** The rooms a row goes to (besides, for a row without a site, every site room of its topic). */
export function rowRooms(row: OutboxRow): string[] {
	const t = row.topic;
	const rooms = [`${t}|${ALL_SITES_ROOM}`];
	if (row.site !== null) rooms.push(`${t}|site:${row.site}`);
	if (t === 'position' && typeof row.payload.sku === 'string') {
		rooms.push(`position|sku:${row.payload.sku}`);
		if (row.site !== null) rooms.push(`position|site:${row.site}|sku:${row.payload.sku}`);
	}
	const board = t === 'commitment' ? row.payload.board : undefined;
	if (typeof board === 'string') rooms.push(boardRoom(board));
	return rooms;
}

/**
 * Checks a subscribe request against what the principal may see. Naming a site outside the caller's
 * is refused (not silently narrowed), so a client bug shows instead of an empty screen.
 */
export function resolveSubscription(p: Principal, req: SubscribeRequest): Subscription | { error: string } {
	const visible = visibleSites(p);
	const forbidden = [...(req.positions?.sites ?? []), ...(req.alerts?.sites ?? [])].filter((s) => visible !== null && !visible.includes(s));
	if (forbidden.length) return { error: `not your site(s): ${[...new Set(forbidden)].slice(0, 5).join(', ')}` };
	const uniq = (xs: string[] | undefined) => (xs ? [...new Set(xs)] : null);
	const positions = { sites: uniq(req.positions?.sites), skus: uniq(req.positions?.skus) };
	const pairSites = positions.sites ?? visible;
	// Too many site × SKU rooms for one socket: follow the sites, and let the client filter the SKUs.
	if (positions.skus && pairSites && pairSites.length * positions.skus.length > MAX_PAIR_ROOMS) positions.skus = null;
	return { topics: [...new Set(req.topics)] as OutboxTopic[], positions, alerts: { sites: uniq(req.alerts?.sites) } };
}

/** Whether a replayed row matches the subscription (authorisation is checked apart). */
export function wants(sub: Subscription, row: OutboxRow): boolean {
	if (!sub.topics.includes(row.topic)) return false;
	if (row.topic === 'position') {
		const { sites, skus } = sub.positions;
		return (sites === null || (row.site !== null && sites.includes(row.site))) && (skus === null || skus.includes(row.payload.sku as string));
	}
	if (row.topic === 'alert') return sub.alerts.sites === null || row.site === null || sub.alerts.sites.includes(row.site);
	return true;
}
