import express, { Router } from 'express';
import { MAX_EVENTS_BODY_BYTES } from '../../src/lib/contract/inventory-event.ts';
import { principalLabel } from '../../src/lib/policy/access.policy.ts';
import { AppError } from '../services/errors.ts';
import type { Metrics } from '../metrics/metrics.registry.ts';
import type { Services } from '../services/services.ts';
import { requireAction } from './middleware.ts';

export function eventsRoutes(services: Services, metrics?: Metrics): Router {
	const r = Router();
	r.post(
		'/api/events',
		requireAction('events:ingest'),
		express.text({ type: () => true, limit: MAX_EVENTS_BODY_BYTES }),
		async (req, res) => {
			const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
			const format = type === 'application/x-ndjson' ? 'ndjson' : type === 'application/json' ? 'json' : null;
			if (!format) throw new AppError(415, 'send application/json or application/x-ndjson');
			const result = await services.ingest.ingest(typeof req.body === 'string' ? req.body : '', format, principalLabel(req.principal!));
			metrics?.eventsIngested.inc({ result: 'accepted' }, result.accepted);
			metrics?.eventsIngested.inc({ result: 'duplicate' }, result.duplicates);
			res.status(202).json(result);
		}
	);
	return r;
}
