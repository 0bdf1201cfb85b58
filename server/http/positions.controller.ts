import { Router } from 'express';
import { z } from 'zod';
import { availabilityQuerySchema } from '../../src/lib/contract/api.ts';
import { BadRequestError } from '../services/errors.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';

const listQuery = z.object({
	site: z.string().min(1).max(64).optional(),
	q: z.string().max(100).optional(),
	limit: z.coerce.number().int().min(1).max(1000).default(200),
	offset: z.coerce.number().int().min(0).max(1_000_000).default(0)
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
	const r = schema.safeParse(value);
	if (!r.success) {
		throw new BadRequestError(
			'invalid query',
			r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
		);
	}
	return r.data;
}

export function positionsRoutes(services: Services): Router {
	const r = Router();
	r.get('/api/availability', requireAction('positions:read'), async (req, res) => {
		const q = parse(availabilityQuerySchema, req.query);
		res.json(await services.positions.availability(req.principal!, q.sku, q.site));
	});
	r.get('/api/positions', requireAction('positions:read'), async (req, res) => {
		res.json(await services.positions.list(req.principal!, parse(listQuery, req.query)));
	});
	return r;
}
