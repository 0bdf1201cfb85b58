import express, { Router } from 'express';
import { z } from 'zod';
import { availabilityQuerySchema } from '../../src/lib/contract/api.ts';
import { promiseCheckSchema } from '../../src/lib/contract/commitments.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';
import { parse } from '../services/validate.ts';

/** `GET /api/positions` query (also named by the OpenAPI registry). */
export const positionsQuerySchema = z.object({
	site: z.string().min(1).max(64).optional(),
	q: z.string().max(100).optional(),
	limit: z.coerce.number().int().min(1).max(1000).default(200),
	offset: z.coerce.number().int().min(0).max(1_000_000).default(0)
});

export function availabilityRoutes(s: Services): Router {
	const r = Router();
	r.get('/api/availability', requireAction('positions:read'), async (req, res) => {
		const q = parse(availabilityQuerySchema, req.query, 'query');
		res.json(await s.availability.availability(req.principal!, q.sku, q.site, { forecast: q.forecast === '1' }));
	});
	r.post('/api/promise-check', requireAction('positions:read'), express.json({ limit: '16kb' }), async (req, res) => {
		res.json(await s.availability.promiseCheck(req.principal!, parse(promiseCheckSchema, req.body, 'body')));
	});
	r.get('/api/positions', requireAction('positions:read'), async (req, res) => {
		res.json(await s.availability.list(req.principal!, parse(positionsQuerySchema, req.query, 'query')));
	});
	return r;
}
