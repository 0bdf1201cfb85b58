// Every route an Express 5 app serves, read from its router stacks (routers mounted without a path,
// as createHttpApp mounts them, so a route's own path is its full path).
import type { Express } from 'express';

interface Layer {
	route?: { path: string | string[]; methods: Record<string, boolean> };
	handle?: { stack?: Layer[] };
}

export function expressRoutes(app: Express): { method: string; path: string }[] {
	const out: { method: string; path: string }[] = [];
	const walk = (stack: Layer[]) => {
		for (const layer of stack) {
			if (layer.route) {
				const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
				for (const path of paths) for (const method of Object.keys(layer.route.methods)) out.push({ method, path });
			} else if (layer.handle?.stack) walk(layer.handle.stack);
		}
	};
	walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
	return out;
}
