import type { Config } from '../config.ts';
import type { Sql } from '../db/database.ts';
import type { RecomputeQueue } from '../jobs/queues.ts';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { AuditRepository } from '../repositories/audit.repository.ts';
import { CatalogAdminRepository } from '../repositories/catalog-admin.repository.ts';
import { AlertsRepository } from '../repositories/alerts.repository.ts';
import { createBoardClientsRepository, type BoardClientsRepository } from '../repositories/board-clients.repository.ts';
import { BoardRepository } from '../repositories/board.repository.ts';
import { BoardsRepository } from '../repositories/boards.repository.ts';
import { BoardLogRepository } from '../repositories/board-log.repository.ts';
import { CatalogRepository } from '../repositories/catalog.repository.ts';
import { CommitmentsRepository } from '../repositories/commitments.repository.ts';
import { EventsRepository } from '../repositories/events.repository.ts';
import { HandoffRepository } from '../repositories/handoff.repository.ts';
import { NotificationsRepository } from '../repositories/notifications.repository.ts';
import { WallRepository } from '../repositories/wall.repository.ts';
import { OutboxRepository } from '../repositories/outbox.repository.ts';
import { PositionsRepository } from '../repositories/positions.repository.ts';
import { TokensRepository } from '../repositories/tokens.repository.ts';
import { UsersRepository } from '../repositories/users.repository.ts';
import { ActivityRepository } from '../repositories/activity.repository.ts';
import { ExportRepository } from '../repositories/export.repository.ts';
import { ImportRepository } from '../repositories/import.repository.ts';
import { KpiRepository } from '../repositories/kpi.repository.ts';
import { SignalsRepository } from '../repositories/signals.repository.ts';
import { SkusRepository } from '../repositories/skus.repository.ts';
import { WebhooksRepository } from '../repositories/webhooks.repository.ts';
import type { WebhookQueue } from '../webhooks/webhook.queue.ts';
import { LanesRepository } from '../repositories/lanes.repository.ts';
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

export interface Repositories {
	audit: AuditRepository;
	catalogAdmin: CatalogAdminRepository;
	alerts: AlertsRepository;
	board: BoardRepository;
	boardClients: BoardClientsRepository;
	boards: BoardsRepository;
	boardLog: BoardLogRepository;
	catalog: CatalogRepository;
	commitments: CommitmentsRepository;
	events: EventsRepository;
	handoff: HandoffRepository;
	notifications: NotificationsRepository;
	wall: WallRepository;
	outbox: OutboxRepository;
	positions: PositionsRepository;
	tokens: TokensRepository;
	users: UsersRepository;
	activity: ActivityRepository;
	exports: ExportRepository;
	imports: ImportRepository;
	kpi: KpiRepository;
	signals: SignalsRepository;
	skus: SkusRepository;
	webhooks: WebhooksRepository;
	/** Transit days between sites (issue 13). */
	lanes: LanesRepository;
}

export interface Services {
	repos: Repositories;
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
}

/**
 * Wires repositories into services; the only place that knows every constructor. `redis` backs the
 * rate limits shared across nodes; without it they are per process.
 */
export function createServices(
	sql: Sql,
	queue: RecomputeQueue,
	config: Config,
	log: Logger,
	redis: Redis | null = null,
	webhookQueue: WebhookQueue | null = null
): Services {
	const repos: Repositories = {
		audit: new AuditRepository(sql),
		catalogAdmin: new CatalogAdminRepository(sql),
		alerts: new AlertsRepository(sql),
		board: new BoardRepository(sql),
		boardClients: createBoardClientsRepository(sql),
		boards: new BoardsRepository(sql),
		boardLog: new BoardLogRepository(sql),
		catalog: new CatalogRepository(sql),
		commitments: new CommitmentsRepository(sql),
		events: new EventsRepository(sql),
		handoff: new HandoffRepository(sql),
		notifications: new NotificationsRepository(sql),
		wall: new WallRepository(sql),
		outbox: new OutboxRepository(sql),
		positions: new PositionsRepository(sql),
		tokens: new TokensRepository(sql),
		users: new UsersRepository(sql),
		activity: new ActivityRepository(sql),
		exports: new ExportRepository(sql),
		imports: new ImportRepository(sql),
		kpi: new KpiRepository(sql),
		signals: new SignalsRepository(sql),
		skus: new SkusRepository(sql),
		webhooks: new WebhooksRepository(sql),
		lanes: new LanesRepository(sql)
	};
	const limits = new RateLimits(redis, config.redisPrefix);
	const auth = new AuthService({ ...repos, limits, sessionSecret: config.sessionSecret, ingestToken: config.ingestToken });
	const handoff = new HandoffService(repos);
	const boards = new BoardsService({ sql, ...repos });
	const commitments = new CommitmentsService(sql, repos, queue, boards);
	const ingest = new IngestService({ sql, ...repos, queue, log });
	const lifecycle = new LifecycleService(sql, repos);
	return {
		repos,
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
		lanes: new LanesService(sql, repos)
	};
}
