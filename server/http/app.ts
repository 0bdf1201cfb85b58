import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Sql } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { NotFoundError } from '../services/errors.ts';
import type { Services } from '../services/services.ts';
import { adminRoutes } from './admin.controller.ts';
import { alertsRoutes } from './alerts.controller.ts';
import { availabilityRoutes } from './availability.controller.ts';
import { commitmentsRoutes } from './commitments.controller.ts';
import { eventsRoutes } from './events.controller.ts';
import { handoffRoutes } from './handoff.controller.ts';
import { healthRoutes } from './health.controller.ts';
import { databaseDeadline, type DatabaseState } from './unavailable.ts';
import { authenticate, confineDisplayTokens, errorHandler, ingestRateLimit, originCheck } from './middleware.ts';
import { notificationsRoutes } from './notifications.controller.ts';
import { sessionRoutes } from './session.controller.ts';
import { wallRoutes } from './wall.controller.ts';
import { importRoutes } from './import.controller.ts';
import { skusRoutes } from './skus.controller.ts';
import { webhooksRoutes } from './webhooks.controller.ts';
import { metricsRoutes } from './metrics.controller.ts';
import { openApiRoutes } from './openapi/openapi.controller.ts';
import { httpMetrics } from '../metrics/http-metrics.middleware.ts';
import type { Metrics } from '../metrics/metrics.registry.ts';
import { optionsRoutes } from './options.controller.ts';
import './context.ts';

export interface HttpAppDeps {
	config: Config;
	services: Services;
	sql: Sql;
	/** A fail-fast Redis connection (no offline queue, command timeout) for readiness. */
	redis: Redis;
	/** Whether Postgres answers; requests waiting on a hung one get 503 (absent: no deadline). */
	db?: DatabaseState;
	log: Logger;
	/** Prometheus metrics of this node; absent: no /metrics and no HTTP timing. */
	metrics?: Metrics;
	/** adapter-node's handler from build/handler.js; absent in API-only tests. */
	svelteKit?: RequestHandler;
}

const LOCKED_DOWN_CSP = { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] };

export function createHttpApp(d: HttpAppDeps): Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('trust proxy', d.config.trustProxy);
	if (d.metrics) app.use(httpMetrics(d.metrics));
	// API answers and assets get a CSP that allows nothing; SvelteKit replaces it on the pages it renders
	// with its own (kit.csp in svelte.config.js), whose nonce lets its inline bootstrap run.
	app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: LOCKED_DOWN_CSP }, crossOriginEmbedderPolicy: false }));
	app.use(healthRoutes(d.sql, d.redis, d.db));
	if (d.db) app.use(databaseDeadline(d.db));
	app.use(authenticate(d.services));
	app.use(confineDisplayTokens());
	// Public, but a display token is confined to its wall even here (CONTRACT: 403 everywhere else).
	app.use(openApiRoutes());
	app.use(originCheck(d.config.allowedOrigins));
	if (d.metrics) app.use(metricsRoutes(d.metrics));
	app.use('/api/session', express.json({ limit: '16kb' }));
	app.use(sessionRoutes(d.services));
	app.use('/api/events', ingestRateLimit(d.services.limits));
	app.use(eventsRoutes(d.services, d.metrics));
	app.use(availabilityRoutes(d.services));
	app.use(alertsRoutes(d.services));
	app.use(optionsRoutes(d.services));
	app.use(commitmentsRoutes(d.services));
	app.use(webhooksRoutes(d.services));
	app.use(adminRoutes(d.services));
	app.use(notificationsRoutes(d.services));
	app.use(handoffRoutes(d.services));
	app.use(wallRoutes(d.services));
	app.use(skusRoutes(d.services));
	app.use(importRoutes(d.services));
	app.use('/api', () => {
		throw new NotFoundError('no such API route');
	});
	if (d.svelteKit) app.use(d.svelteKit);
	app.use(errorHandler(d.log));
	return app;
}
