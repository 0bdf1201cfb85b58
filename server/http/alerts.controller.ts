import { Router } from 'express';
import { z } from 'zod';
import { ALERT_STATUSES } from '../../src/lib/contract/domain.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';
import { parse } from './validate.ts';

const query = z.object({ status: z.enum(ALERT_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(5000).default(500) });

export function alertsRoutes(s: Services): Router {
	const r = Router();
	r.get('/api/alerts', requireAction('alerts:read'), async (req, res) => {
		const q = parse(query, req.query, 'query');
		res.json(await s.alerts.list(req.principal!, q.status, q.limit));
	});
	r.post('/api/alerts/:id/ack', requireAction('alerts:ack'), async (req, res) => {
		res.json(await s.alerts.acknowledge(req.principal!, String(req.params.id)));
	});
	return r;
}
