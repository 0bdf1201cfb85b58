import express, { Router } from 'express';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';

/** SKU list and detail, lifecycle stages, demand signals, KPIs and the activity feed: thin adapters. */
export function skusRoutes(s: Services): Router {
	const r = Router();
	const json = express.json({ limit: '64kb' });
	const read = requireAction('positions:read');

	r.get('/api/skus', read, async (req, res) => void res.json(await s.skus.list(req.principal!, req.query)));
	r.get('/api/skus/:sku', read, async (req, res) =>
		void res.json(await s.skus.detail(req.principal!, String(req.params.sku), { forecast: req.query.forecast !== '0' }))
	);
	r.post('/api/skus/:sku/lifecycle', requireAction('lifecycle:write'), json, async (req, res) =>
		void res.json(await s.lifecycle.change(req.principal!, String(req.params.sku), req.body))
	);

	r.get('/api/signals', read, async (req, res) => void res.json(await s.signals.list(req.principal!, req.query)));
	r.post('/api/signals', requireAction('signals:write'), json, async (req, res) => void res.status(201).json(await s.signals.create(req.principal!, req.body)));
	r.patch('/api/signals/:id', requireAction('signals:write'), json, async (req, res) => void res.json(await s.signals.update(req.principal!, String(req.params.id), req.body)));
	r.post('/api/signals/:id/withdraw', requireAction('signals:write'), async (req, res) => void res.json(await s.signals.withdraw(req.principal!, String(req.params.id))));

	r.get('/api/kpis', read, async (req, res) => void res.json(await s.kpi.overview(req.principal!, req.query)));
	r.get('/api/activity', read, async (req, res) => void res.json(await s.activity.feed(req.principal!, req.query)));
	return r;
}
