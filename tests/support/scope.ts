// Helpers of the board-scope suite: users limited to sites, and the list of every HTTP route the app
// serves (read from Express itself, so new routes count). Its Yjs peers are in ./yjs.ts.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHttpApp } from '../../server/http/app.ts';
import { createLogger } from '../../server/logger.ts';
import type { Role } from '../../src/lib/contract/domain.ts';
import { sessionCookie } from './alerts.ts';
import { createUser, type SpawnedNode } from './process.ts';

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
