import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Sql } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { NotFoundError } from '../services/errors.ts';
import type { Services } from '../services/services.ts';
import { eventsRoutes } from './events.controller.ts';
import { healthRoutes } from './health.controller.ts';
import { authenticate, errorHandler, originCheck } from './middleware.ts';
import { positionsRoutes } from './positions.controller.ts';
import { sessionRoutes } from './session.controller.ts';
import './context.ts';

export interface HttpAppDeps {
	config: Config;
	services: Services;
	sql: Sql;
	redis: Redis;
	log: Logger;
	/** adapter-node's handler from build/handler.js; absent in API-only tests. */
	svelteKit?: RequestHandler;
}

export function createHttpApp(d: HttpAppDeps): Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('trust proxy', 'loopback');
	// SvelteKit writes the CSP itself (kit.csp in svelte.config.js) so its inline bootstrap gets a nonce.
	app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
	app.use(healthRoutes(d.sql, d.redis));
	app.use(authenticate(d.services));
	app.use(originCheck(d.config.allowedOrigins));
	app.use('/api/session', express.json({ limit: '16kb' }));
	app.use(sessionRoutes(d.services));
	app.use(eventsRoutes(d.services));
	app.use(positionsRoutes(d.services));
	app.use('/api', () => {
		throw new NotFoundError('no such API route');
	});
	if (d.svelteKit) app.use(d.svelteKit);
	app.use(errorHandler(d.log));
	return app;
}
