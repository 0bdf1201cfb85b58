import express, { Router } from 'express';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';

/** /api/admin: thin adapters over AdminService (BoardsService for boards), which check the actor again and parse every body. */
export function adminRoutes(services: Services): Router {
	const r = Router();
	const admin = services.admin;
	r.use('/api/admin', requireAction('admin'), express.json({ limit: '64kb' }));

	r.get('/api/admin/users', async (req, res) => void res.json(await admin.listUsers(req.principal!)));
	r.post('/api/admin/users', async (req, res) => void res.status(201).json(await admin.createUser(req.principal!, req.body)));
	r.patch('/api/admin/users/:id', async (req, res) => void res.json(await admin.updateUser(req.principal!, req.params.id, req.body)));
	r.post('/api/admin/users/:id/password', async (req, res) => void res.json(await admin.resetPassword(req.principal!, req.params.id)));

	r.get('/api/admin/tokens', async (req, res) => void res.json(await admin.listTokens(req.principal!)));
	r.post('/api/admin/tokens', async (req, res) => void res.status(201).json(await admin.createToken(req.principal!, req.body)));
	r.delete('/api/admin/tokens/:id', async (req, res) => void (await admin.revokeToken(req.principal!, req.params.id), res.status(204).end()));

	r.get('/api/admin/boards', async (req, res) => void res.json(await services.boards.list(req.principal!)));
	r.post('/api/admin/boards', async (req, res) => void res.status(201).json(await services.boards.create(req.principal!, req.body)));
	r.patch('/api/admin/boards/:id', async (req, res) => void res.json(await services.boards.update(req.principal!, String(req.params.id), req.body)));

	r.get('/api/admin/sites', async (req, res) => void res.json(await admin.listSites(req.principal!)));
	r.patch('/api/admin/sites/:code', async (req, res) => void res.json(await admin.updateSite(req.principal!, req.params.code, req.body)));

	r.get('/api/admin/skus', async (req, res) => void res.json(await admin.listSkus(req.principal!, req.query)));
	r.patch('/api/admin/skus/:code', async (req, res) => void (await admin.updateSku(req.principal!, req.params.code, req.body), res.status(204).end()));
	r.put('/api/admin/skus/:code/sites/:site', async (req, res) =>
		void (await admin.setSkuSite(req.principal!, req.params.code, req.params.site, req.body), res.status(204).end())
	);

	r.get('/api/admin/audit', async (req, res) => void res.json(await admin.listAudit(req.principal!, req.query)));
	return r;
}
