import express, { Router } from 'express';
import { createCommitmentSchema, listCommitmentsQuerySchema, patchCommitmentSchema } from '../../src/lib/contract/commitments.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';
import { parse } from '../services/validate.ts';

export function commitmentsRoutes(s: Services): Router {
	const r = Router();
	const json = express.json({ limit: '64kb' });
	r.get('/api/commitments', requireAction('commitments:read'), async (req, res) => {
		res.json(await s.commitments.list(req.principal!, parse(listCommitmentsQuerySchema, req.query, 'query')));
	});
	// An extension of the contract: who changed what on a card, and when (newest first).
	r.get('/api/commitments/:id/history', requireAction('commitments:read'), async (req, res) => {
		res.json(await s.board.history(req.principal!, String(req.params.id)));
	});
	r.post('/api/commitments', requireAction('commitments:write'), json, async (req, res) => {
		res.status(201).json(await s.commitments.create(req.principal!, parse(createCommitmentSchema, req.body, 'body')));
	});
	r.patch('/api/commitments/:id', requireAction('commitments:write'), json, async (req, res) => {
		res.json(await s.commitments.patch(req.principal!, String(req.params.id), parse(patchCommitmentSchema, req.body, 'body')));
	});
	return r;
}
