import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { Redis } from 'ioredis';
import type { Config } from './config.ts';
import { connect, ensureDatabase, type Sql } from './db/database.ts';
import { DatabaseHealth } from './db/db-health.ts';
import { migrate } from './db/migrate.ts';
import { RecomputeQueue } from './jobs/queues.ts';
import { RecomputeWorker } from './jobs/recompute.worker.ts';
import { OutboxPruner } from './jobs/outbox.pruner.ts';
import { MaintenanceWorker, type MaintenanceTask } from './jobs/maintenance.worker.ts';
import type { Logger } from './logger.ts';
import { createHttpApp } from './http/app.ts';
import { createSocketServer, type PbServer } from './realtime/socket.server.ts';
import { revalidateBoardScopes, revalidateYjs } from './realtime/access.revalidator.ts';
import { handshakeCredentials, principalOf } from './auth/credentials.ts';
import { createYjsServer, isYjsUpgrade, YjsRefusal, type YjsServer } from './realtime/yjs/yjs.transport.ts';
import { CLOSE_CODES } from './realtime/yjs/yjs.protocol.ts';
import { AppError } from './services/errors.ts';
import { startBoardSync, type BoardSync } from './realtime/board/board-sync.ts';
import { can } from '../src/lib/policy/access.policy.ts';
import { createServices, type Services } from './services/services.ts';
import { createRepositories, type Repositories } from './repositories/repositories.ts';
import { seedDemo } from './demo/seed.ts';
import { WebhookQueue } from './webhooks/webhook.queue.ts';
import { Metrics } from './metrics/metrics.registry.ts';
import { registerSources } from './metrics/metrics.sources.ts';
import { WebhookWorker } from './webhooks/webhook.worker.ts';
import { WEBHOOK_SWEEP_MS, WebhookDispatcher } from './webhooks/webhook.dispatcher.ts';

export interface NodeOptions {
	web: boolean;
	workers: boolean;
	/** Serve the SvelteKit app from build/ (API-only tests leave it off). */
	app?: boolean;
}

export interface RunningNode {
	port: number;
	url: string;
	sql: Sql;
	services: Services;
	/** The repositories the services were built on: for wiring jobs and for tests' and benchmarks' set-up, never for requests. */
	repos: Repositories;
	worker: RecomputeWorker | null;
	/** This node's Prometheus registry (GET /metrics on web nodes). */
	metrics: Metrics;
	/** The Socket.IO server of a web node (benchmarks compare against a bare broadcast on it). */
	io: PbServer | null;
	close(): Promise<void>;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD_HANDLER = resolve(ROOT, process.env.PB_BUILD_DIR ?? 'build', 'handler.js');

async function loadSvelteKit(log: Logger): Promise<RequestHandler> {
	if (!existsSync(BUILD_HANDLER)) {
		throw new Error('build/handler.js is missing: run `npm run build` first (npm start and npm run demo do)');
	}
	log.debug('loading SvelteKit handler');
	const mod = (await import(pathToFileURL(BUILD_HANDLER).href)) as { handler: RequestHandler };
	return mod.handler;
}

/** Starts a web node, a worker node, or both in one process, on one http.Server. */
export async function startNode(config: Config, log: Logger, opts: NodeOptions): Promise<RunningNode> {
	await ensureDatabase(config.databaseUrl, log);
	const poolMax = opts.web ? 20 : 10;
	const sql = connect(config.databaseUrl, { max: poolMax });
	const metrics = new Metrics();
	await migrate(sql, log);

	// Two connections on purpose. BullMQ's workers block and must wait out an outage
	// (maxRetriesPerRequest: null). Everything a request awaits — enqueueing, rate limits, /readyz —
	// uses `fastRedis`, which fails at once while Redis is away and gives up on a hung one.
	const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
	redis.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
	const fastRedis = new Redis(config.redisUrl, {
		lazyConnect: false,
		enableOfflineQueue: false,
		// A command in flight when Redis goes is failed at once, not resent after a reconnect.
		maxRetriesPerRequest: 0,
		commandTimeout: 500,
		connectTimeout: 2000,
		// Keep trying every second: ingest must notice a returning Redis without a restart.
		retryStrategy: (times) => Math.min(times * 200, 1000)
	});
	fastRedis.on('error', () => {}); // the blocking connection logs the same outage already
	const queue = new RecomputeQueue({ connection: fastRedis, prefix: config.redisPrefix });
	const webhookQueue = new WebhookQueue({ connection: redis, prefix: config.redisPrefix, maxAttempts: config.webhooks.maxAttempts, backoffMs: config.webhooks.backoffMs });
	const repos = createRepositories(sql);
	const services = createServices(sql, queue, config, log, fastRedis, webhookQueue, repos);
	const dbHealth = new DatabaseHealth(config.databaseUrl, log.child({ component: 'db-health' }));
	dbHealth.start();

	if (config.demo) await seedDemo(services, sql, log);

	let worker: RecomputeWorker | null = null;
	if (opts.workers) {
		worker = new RecomputeWorker({
			connection: redis,
			prefix: config.redisPrefix,
			recompute: services.recompute,
			positions: repos.positions,
			queue,
			concurrency: config.workerConcurrency,
			sweepAfterSeconds: config.sweepAfterSeconds,
			log: log.child({ component: 'worker' })
		});
		worker.onJobDone((lagMs, runMs) => {
			metrics.queueWaitSeconds.observe({ queue: 'recompute' }, lagMs / 1000);
			metrics.recomputeSeconds.observe(runMs / 1000);
		});
		worker.start();
	}
	// Alert webhooks: deliveries are recorded once cluster-wide by the dispatcher and sent by the
	// webhook worker, both where the recompute workers run, outside the engine's transactions.
	const webhookWorker = opts.workers
		? new WebhookWorker({
				connection: redis,
				prefix: config.redisPrefix,
				webhooks: repos.webhooks,
				config: config.webhooks,
				log: log.child({ component: 'webhooks' }),
				onAttempt: (outcome, seconds) => {
					metrics.webhookDeliveries.inc({ outcome });
					metrics.webhookSeconds.observe(seconds);
				}
			})
		: null;
	const dispatcher = opts.workers
		? new WebhookDispatcher({ sql, outbox: repos.outbox, webhooks: repos.webhooks, queue: webhookQueue, log: log.child({ component: 'webhooks' }) })
		: null;
	webhookWorker?.start();
	await dispatcher?.start();
	// The chores, each once per interval across every worker process: the sweep for lost recompute
	// jobs, outbox pruning, KPI history (kpi_daily) with the lifecycle_change catch-up.
	const pruner = worker ? new OutboxPruner({ outbox: repos.outbox, retentionHours: config.outboxRetentionHours, log: log.child({ component: 'pruner' }) }) : null;
	const maintenance =
		worker && pruner ? new MaintenanceWorker({ connection: redis, prefix: config.redisPrefix, log: log.child({ component: 'maintenance' }), tasks: maintenanceTasks(worker, pruner, dispatcher, services, config, log) }) : null;
	maintenance?.start();

	let http: Server | null = null;
	let sockets: ReturnType<typeof createSocketServer> | null = null;
	let yjs: YjsServer | null = null;
	let board: BoardSync | null = null;
	let stopYjsRevalidation: (() => void) | null = null;
	let port = 0;
	if (opts.web) {
		const svelteKit = opts.app === false ? undefined : await loadSvelteKit(log);
		const app = createHttpApp({ config, services, sql, redis: fastRedis, db: dbHealth, log, svelteKit, metrics });
		http = createServer(app);
		sockets = createSocketServer(http, {
			services,
			outbox: repos.outbox,
			log: log.child({ component: 'socket' }),
			allowedOrigins: config.allowedOrigins,
			heartbeatMs: config.heartbeatMs
		});
		await sockets.start();
		yjs = createYjsServer({
			log: log.child({ component: 'yjs' }),
			sql,
			// Cookie for people, ?token= for display tokens; both resolved before any document is loaded.
			authorise: async (req, boardId) => {
				const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
				const credentials = handshakeCredentials(req, token, config.allowedOrigins);
				const p = credentials === 'cross-origin' ? null : await principalOf(services.auth, credentials);
				if (!p || !can(p, 'board:read')) return null;
				// Signed in, but not for this board (its sites, a display token's own board, no such board):
				// 4403, with one reason for all three so the code does not tell which boards exist.
				try {
					await services.boards.open(p, boardId, { create: true });
				} catch (err) {
					if (err instanceof AppError && (err.status === 403 || err.status === 404)) throw new YjsRefusal(CLOSE_CODES.forbidden, 'this board is not open to you');
					throw err;
				}
				return p;
			},
			canWrite: (p) => can(p, 'board:write')
		});
		// Field ownership, projection into commitments, verdicts into `computed`, REST writes into boards.
		board = startBoardSync({
			documents: yjs.documents,
			services,
			boardLog: repos.boardLog,
			relay: sockets.relay,
			log: log.child({ component: 'board' }),
			maxDocumentBytes: config.boardMaxBytes,
			// Other web nodes holding the same boards get their updates and presence through Redis.
			cluster: { redis, prefix: config.redisPrefix }
		});
		const stopAuth = revalidateYjs(yjs, (ps) => services.auth.revoked(ps), log.child({ component: 'yjs' }));
		const stopScopes = revalidateBoardScopes(yjs, (id) => services.boards.scopeOf(id), log.child({ component: 'yjs' }));
		stopYjsRevalidation = () => (stopAuth(), stopScopes());
		http.on('upgrade', (req, socket, head) => {
			if (isYjsUpgrade(req)) yjs!.handleUpgrade(req, socket, head);
			// Socket.IO answers its own path; anything unclaimed is refused instead of left hanging.
			else if (!req.url?.startsWith('/socket.io')) socket.destroy();
		});
		await new Promise<void>((resolve, reject) => {
			http!.once('error', reject);
			http!.listen(config.port, config.host, () => resolve());
		});
		port = (http.address() as AddressInfo).port;
		const io = sockets.io;
		const relay = sockets.relay;
		registerSources(metrics, {
			sql,
			poolMax,
			outbox: repos.outbox,
			queues: [
				{ name: 'recompute', queue: queue.queue },
				{ name: 'webhooks', queue: webhookQueue.queue }
			],
			socketClients: () => io.engine.clientsCount,
			relayedSeq: () => relay.relayedSeq,
			yjs
		});
		log.info({ port, host: config.host }, `listening on http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`);
	}

	let closing: Promise<void> | null = null;
	return {
		port,
		url: `http://127.0.0.1:${port}`,
		sql,
		services,
		repos,
		worker,
		io: sockets?.io ?? null,
		metrics,
		close() {
			closing ??= (async () => {
				if (http) {
					const closed = new Promise<void>((r) => http!.close(() => r()));
					await sockets?.close();
					stopYjsRevalidation?.();
					await board?.close();
					await yjs?.close();
					http.closeAllConnections();
					await closed;
				}
				await maintenance?.close();
				await dispatcher?.stop();
				await webhookWorker?.close();
				await webhookQueue.close();
				await pruner?.stop();
				await worker?.close();
				await queue.close().catch(() => {});
				await dbHealth.stop();
				redis.disconnect();
				fastRedis.disconnect();
				await sql.end({ timeout: 5 });
			})();
			return closing;
		}
	};
}

const KPI_EVERY_MS = 10 * 60_000;

/** What the maintenance scheduler runs; each is idempotent (re-adds, deletes by age, upserts, locked reconciles). */
function maintenanceTasks(worker: RecomputeWorker, pruner: OutboxPruner, dispatcher: WebhookDispatcher | null, services: Services, config: Config, log: Logger): MaintenanceTask[] {
	const kpiLog = log.child({ component: 'kpi' });
	return [
		{ name: 'recompute-sweep', everyMs: config.sweepEveryMs, run: () => worker.sweep() },
		{ name: 'outbox-prune', everyMs: config.outboxPruneEveryMs, run: () => pruner.run() },
		{
			name: 'kpi-record',
			everyMs: KPI_EVERY_MS,
			run: async () => {
				await services.kpi.record().catch((err) => kpiLog.warn({ err }, 'recording KPIs failed'));
				await services.lifecycle.sweep().catch((err) => kpiLog.warn({ err }, 'lifecycle alert sweep failed'));
			}
		},
		// Deliveries left pending by a lost enqueue or a killed worker go back on the queue.
		...(dispatcher ? [{ name: 'webhook-sweep', everyMs: WEBHOOK_SWEEP_MS, run: () => dispatcher.sweep() }] : [])
	];
}
