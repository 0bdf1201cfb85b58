import express, { Router } from 'express';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';

/** /api/admin/webhooks: thin adapters over WebhooksService, which checks the actor and parses bodies. */
export function webhooksRoutes(s: Services): Router {
	const r = Router();
	const hooks = s.webhooks;
	r.use('/api/admin/webhooks', requireAction('webhooks:manage'), express.json({ limit: '64kb' }));
	r.get('/api/admin/webhooks', async (req, res) => void res.json(await hooks.list(req.principal!)));
	r.post('/api/admin/webhooks', async (req, res) => void res.status(201).json(await hooks.create(req.principal!, req.body)));
	r.delete('/api/admin/webhooks/:id', async (req, res) => void (await hooks.remove(req.principal!, req.params.id), res.status(204).end()));
	r.get('/api/admin/webhooks/:id/deliveries', async (req, res) => void res.json(await hooks.deliveries(req.principal!, req.params.id, req.query)));
	r.post('/api/admin/webhooks/:id/resume', async (req, res) => void res.json(await hooks.resume(req.principal!, req.params.id)));
	return r;
}
