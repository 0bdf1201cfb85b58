import type { Config } from '../config.ts';
import type { Sql } from '../db/database.ts';
import type { RecomputeProducer, WebhookProducer } from './jobs.port.ts';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { createRepositories, type Repositories } from '../repositories/repositories.ts';
import { AdminService } from './admin.service.ts';
import { AuthService } from './auth.service.ts';
import { IngestService } from './ingest.service.ts';
import { AlertsService } from './alerts.service.ts';
import { AvailabilityService } from './availability.service.ts';
import { BoardService } from './board.service.ts';
import { BoardsService } from './boards.service.ts';
import { CommitmentsService } from './commitments.service.ts';
import { HandoffService } from './handoff.service.ts';
import { NotificationsService } from './notifications.service.ts';
import { WallService } from './wall.service.ts';
import { RateLimits } from './rate-limit.service.ts';
import { RecomputeService } from './recompute.service.ts';
import { ActivityService } from './activity.service.ts';
import { ExportService } from './export.service.ts';
import { ImportService } from './import.service.ts';
import { KpiService } from './kpi.service.ts';
import { LifecycleService } from './lifecycle.service.ts';
import { SignalsService } from './signals.service.ts';
import { SkusService } from './skus.service.ts';
import { WebhooksService } from './webhooks.service.ts';
import { LanesService } from './lanes.service.ts';
import { OptionsService } from './options.service.ts';
import { CatalogService } from './catalog.service.ts';
import { OutboxService } from './outbox.service.ts';


export interface Services {
	auth: AuthService;
	admin: AdminService;
	limits: RateLimits;
	ingest: IngestService;
	availability: AvailabilityService;
	alerts: AlertsService;
	commitments: CommitmentsService;
	board: BoardService;
	/** Boards and their site scope (who may open which board; which sites its cards may ship from). */
	boards: BoardsService;
	recompute: RecomputeService;
	notifications: NotificationsService;
	handoff: HandoffService;
	wall: WallService;
	activity: ActivityService;
	exports: ExportService;
	imports: ImportService;
	kpi: KpiService;
	lifecycle: LifecycleService;
	signals: SignalsService;
	skus: SkusService;
	webhooks: WebhooksService;
	/** Keeping a broken promise: options per commitment and re-plans (issue 13). */
	options: OptionsService;
	lanes: LanesService;
	/** Sites for the pickers. */
	catalog: CatalogService;
	/** Where the live feed stands (pages hand their socket the seq to replay from). */
	outbox: OutboxService;
}

/**
 * Wires repositories into services; the only place that knows every constructor. `redis` backs the
 * rate limits shared across nodes; without it they are per process.
 */
export function createServices(
	sql: Sql,
	queue: RecomputeProducer,
	config: Config,
	log: Logger,
	redis: Redis | null = null,
	webhookQueue: WebhookProducer | null = null,
	repos: Repositories = createRepositories(sql)
): Services {
	const limits = new RateLimits(redis, config.redisPrefix);
	const auth = new AuthService({ ...repos, limits, sessionSecret: config.sessionSecret, ingestToken: config.ingestToken });
	const handoff = new HandoffService(repos);
	const boards = new BoardsService({ sql, ...repos });
	const commitments = new CommitmentsService(sql, repos, queue, boards);
	const ingest = new IngestService({ sql, ...repos, queue, log });
	const lifecycle = new LifecycleService(sql, repos);
	return {
		auth,
		admin: new AdminService({ sql, ...repos, auth, queue, log }),
		limits,
		ingest,
		availability: new AvailabilityService(sql, repos),
		alerts: new AlertsService(sql, repos),
		commitments,
		board: new BoardService(sql, repos, commitments, boards),
		boards,
		recompute: new RecomputeService({ sql, ...repos, log }),
		notifications: new NotificationsService(repos),
		handoff,
		wall: new WallService(repos, handoff, boards),
		activity: new ActivityService(repos),
		exports: new ExportService(repos, boards),
		imports: new ImportService({ sql, repos, ingest, commitments, lifecycle, queue, log }),
		kpi: new KpiService(repos),
		lifecycle,
		signals: new SignalsService({ sql, repos, queue, log }),
		skus: new SkusService(sql, repos, lifecycle),
		webhooks: new WebhooksService({ ...repos, queue: webhookQueue, allowHosts: config.webhooks.allowHosts }),
		options: new OptionsService(sql, repos, commitments, boards),
		lanes: new LanesService(sql, repos),
		catalog: new CatalogService(repos),
		outbox: new OutboxService(repos)
	};
}
