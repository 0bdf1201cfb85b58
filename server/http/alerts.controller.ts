import { Router } from 'express';
import { alertListQuerySchema } from '../../src/lib/contract/notifications.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';
import { parse } from '../services/validate.ts';

export function alertsRoutes(s: Services): Router {
	const r = Router();
	r.get('/api/alerts', requireAction('alerts:read'), async (req, res) => {
		res.json(await s.alerts.list(req.principal!, parse(alertListQuerySchema, req.query, 'query')));
	});
	r.post('/api/alerts/:id/ack', requireAction('alerts:ack'), async (req, res) => {
		res.json(await s.alerts.acknowledge(req.principal!, String(req.params.id)));
	});
	return r;
}
