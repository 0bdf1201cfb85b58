import express, { Router } from 'express';
import { handoffListQuerySchema, handoffWriteSchema } from '../../src/lib/contract/notifications.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';
import { parse } from '../services/validate.ts';

/** `GET /api/handoff?site=&limit=` newest first; `PUT /api/handoff/:site` `{body, date?, shift?}`. */
export function handoffRoutes(s: Services): Router {
	const r = Router();
	r.get('/api/handoff', requireAction('handoff:read'), async (req, res) => {
		res.json(await s.handoff.list(req.principal!, parse(handoffListQuerySchema, req.query, 'query')));
	});
	r.put('/api/handoff/:site', requireAction('handoff:write'), express.json({ limit: '16kb' }), async (req, res) => {
		res.json(await s.handoff.write(req.principal!, String(req.params.site), parse(handoffWriteSchema, req.body, 'body')));
	});
	return r;
}
