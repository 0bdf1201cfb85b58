import express, { Router } from 'express';
import { notificationPrefsSchema } from '../../src/lib/contract/notifications.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';
import { parse } from '../services/validate.ts';

/** `GET|PUT /api/me/notifications`: the signed-in person's toast preferences. */
export function notificationsRoutes(s: Services): Router {
	const r = Router();
	r.get('/api/me/notifications', requireAction('alerts:read'), async (req, res) => {
		res.json(await s.notifications.state(req.principal!));
	});
	r.put('/api/me/notifications', requireAction('alerts:read'), express.json({ limit: '16kb' }), async (req, res) => {
		res.json(await s.notifications.save(req.principal!, parse(notificationPrefsSchema, req.body, 'body')));
	});
	return r;
}
