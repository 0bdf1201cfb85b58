import { Router } from 'express';
import { can } from '../../src/lib/policy/access.policy.ts';
import type { Metrics } from '../metrics/metrics.registry.ts';
import { ForbiddenError, UnauthorizedError } from '../services/errors.ts';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * GET /metrics for Prometheus: a bearer token of scope `metrics` (or an admin), or a scraper on this
 * machine. A request a local proxy forwarded (X-Forwarded-For) is not "on this machine".
 */
export function metricsRoutes(metrics: Metrics): Router {
	const r = Router();
	r.get('/metrics', async (req, res) => {
		const local = LOOPBACK.test(req.socket.remoteAddress ?? '') && !req.headers['x-forwarded-for'] && !req.headers.forwarded;
		if (!local) {
			if (!req.principal) throw new UnauthorizedError('a metrics token is required');
			if (!can(req.principal, 'metrics:read')) throw new ForbiddenError('this token may not read metrics');
		}
		res.setHeader('content-type', metrics.contentType);
		res.setHeader('cache-control', 'no-store');
		res.send(await metrics.text());
	});
	return r;
}
