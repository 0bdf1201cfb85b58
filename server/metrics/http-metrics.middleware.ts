import type { Request, RequestHandler } from 'express';
import type { Metrics } from './metrics.registry.ts';

/**
 * The route label is the matched Express pattern (`/api/skus/:sku`), so one SKU is not one time
 * series; requests no API route matched are `page` (SvelteKit) or `unmatched`.
 */
export function routeLabel(req: Request): string {
	const pattern = (req.route as { path?: unknown } | undefined)?.path;
	if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
	if (req.path.startsWith('/api/') || req.path === '/api') return 'unmatched';
	return 'page';
}

export function httpMetrics(metrics: Metrics): RequestHandler {
	return (req, res, next) => {
		const end = metrics.httpDuration.startTimer();
		res.once('finish', () => end({ method: req.method, route: routeLabel(req), status: String(res.statusCode) }));
		next();
	};
}
