// Helpers of the board-scope suite: raw Yjs peers that record every frame, users limited to sites,
// and the list of every HTTP route the app serves (read from Express itself, so new routes count).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHttpApp } from '../../server/http/app.ts';
import { createLogger } from '../../server/logger.ts';
import type { Role } from '../../src/lib/contract/domain.ts';
import { WebSocket } from 'ws';
import { sessionCookie } from './alerts.ts';
import { createUser, type SpawnedNode } from './process.ts';

export interface YjsPeer {
	ws: WebSocket;
	frames: Uint8Array[];
	/** The first frame from the server: the board was loaded and the peer let in. */
	answered: Promise<void>;
	closed: Promise<{ code: number; reason: string }>;
}

/** A bare WebSocket on `/yjs/<board>` (cookie or `?token=`), as any client could open it. */
export function yjsPeer(url: string, board: string, auth: { cookie?: string; token?: string }): YjsPeer {
	const query = auth.token ? `?token=${encodeURIComponent(auth.token)}` : '';
	const ws = new WebSocket(`${url.replace('http', 'ws')}/yjs/${board}${query}`, { headers: auth.cookie ? { cookie: auth.cookie } : {}, origin: url });
	const frames: Uint8Array[] = [];
	let answer!: () => void;
	const answered = new Promise<void>((resolve) => (answer = resolve));
	ws.on('message', (d) => {
		frames.push(new Uint8Array(d as Buffer));
		answer();
	});
	ws.on('error', () => {});
	const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
	return { ws, frames, answered, closed };
}

/** Whether the peer was let in (a first frame) or refused (its close code), whichever comes first. */
export function outcome(p: YjsPeer): Promise<'open' | number> {
	return Promise.race([p.answered.then(() => 'open' as const), p.closed.then((c) => c.code)]);
}

/** A signed-in user who follows `sites` (null: every site). */
export async function limitedUser(node: SpawnedNode, email: string, role: Role, sites: string[] | null): Promise<string> {
	await createUser(node.db, email, role);
	if (sites) {
		await node.db.sql`insert into user_sites (user_id, site) select id, unnest(${node.db.sql.array(sites)}::text[]) from users where email = ${email}`;
	}
	return sessionCookie(node, email);
}

export interface Route {
	method: string;
	path: string;
}

interface Layer {
	route?: { path: string; methods: Record<string, boolean> };
	handle?: { stack?: Layer[] };
}

/**
 * Every route the HTTP app declares, read from Express's own router after building the app with
 * stand-in services (the controllers only keep references; nothing is called). `/healthz` and
 * `/readyz` are public and left out.
 */
export function appRoutes(): Route[] {
	const stub: object = new Proxy({}, { get: () => stub });
	const app = createHttpApp({ config: { allowedOrigins: [] }, services: stub, sql: stub, redis: stub, log: createLogger('silent') } as never);
	const out: Route[] = [];
	const walk = (stack: Layer[]) => {
		for (const layer of stack) {
			if (layer.route) {
				for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: layer.route.path });
			} else if (layer.handle?.stack) walk(layer.handle.stack);
		}
	};
	walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
	return out.filter((r) => r.path !== '/healthz' && r.path !== '/readyz');
}

const ROUTES_DIR = fileURLToPath(new URL('../../src/routes', import.meta.url));

/** Every page of the SvelteKit app (each `+page.svelte`, route groups left out of the URL), its parameters filled in from `params`. */
export function appPages(params: Record<string, string>): string[] {
	return readdirSync(ROUTES_DIR, { recursive: true, encoding: 'utf8' })
		.filter((f) => f.endsWith('+page.svelte'))
		.map((f) => `/${f.replace(/\+page\.svelte$/, '').replace(/\([^)]*\)\//g, '').replace(/\/$/, '')}`.replace(/\[(\w+)\]/g, (_m, name: string) => params[name] ?? 'x'))
		.sort();
}
