import { Router } from 'express';
import { wallParamsSchema } from '../../src/lib/contract/notifications.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';
import { parse } from '../services/validate.ts';

/** `GET /api/wall/:boardId`: the wall snapshot, for kiosks or tools that render their own screen. */
export function wallRoutes(s: Services): Router {
	const r = Router();
	r.get('/api/wall/:boardId', requireAction('wall:read'), async (req, res) => {
		const { boardId } = parse(wallParamsSchema, req.params, 'path');
		res.json(await s.wall.snapshot(req.principal!, boardId));
	});
	return r;
}
