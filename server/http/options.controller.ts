import express, { Router } from 'express';
import { applyOptionSchema, replanApplySchema, replanQuerySchema, requestOptionSchema } from '../../src/lib/contract/options.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';
import { parse } from '../services/validate.ts';

/** Keeping a broken promise (CONTRACT wave 2) and the lanes between sites: thin adapters. */
export function optionsRoutes(s: Services): Router {
	const r = Router();
	const json = express.json({ limit: '64kb' });
	r.get('/api/commitments/:id/options', requireAction('commitments:read'), async (req, res) => {
		res.json(await s.options.options(req.principal!, String(req.params.id)));
	});
	r.post('/api/commitments/:id/options/:optionId/apply', requireAction('commitments:write'), json, async (req, res) => {
		const body = parse(applyOptionSchema, req.body ?? {}, 'body');
		res.json(await s.options.apply(req.principal!, String(req.params.id), String(req.params.optionId), body.note));
	});
	// Extension: sales asks ops for an option (a marked note on the card).
	r.post('/api/commitments/:id/options/:optionId/request', requireAction('commitments:write'), json, async (req, res) => {
		const body = parse(requestOptionSchema, req.body ?? {}, 'body');
		res.json(await s.options.request(req.principal!, String(req.params.id), String(req.params.optionId), body.note));
	});
	r.get('/api/replan', requireAction('commitments:read'), async (req, res) => {
		const q = parse(replanQuerySchema, req.query, 'query');
		res.json(await s.options.replanView(req.principal!, q.sku, q.site));
	});
	r.post('/api/replan', requireAction('commitments:write'), json, async (req, res) => {
		res.json(await s.options.replanApply(req.principal!, parse(replanApplySchema, req.body, 'body')));
	});

	r.get('/api/lanes', requireAction('positions:read'), async (req, res) => void res.json(await s.lanes.list(req.principal!)));
	r.put('/api/admin/lanes/:from/:to', requireAction('catalog:manage'), json, async (req, res) => {
		res.json(await s.lanes.set(req.principal!, String(req.params.from), String(req.params.to), req.body));
	});
	r.delete('/api/admin/lanes/:from/:to', requireAction('catalog:manage'), async (req, res) => {
		await s.lanes.remove(req.principal!, String(req.params.from), String(req.params.to));
		res.status(204).end();
	});
	return r;
}
