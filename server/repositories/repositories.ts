import type { Sql } from '../db/database.ts';
import { AuditRepository } from './audit.repository.ts';
import { CatalogAdminRepository } from './catalog-admin.repository.ts';
import { AlertsRepository } from './alerts.repository.ts';
import { createBoardClientsRepository, type BoardClientsRepository } from './board-clients.repository.ts';
import { BoardRepository } from './board.repository.ts';
import { BoardsRepository } from './boards.repository.ts';
import { BoardLogRepository } from './board-log.repository.ts';
import { CatalogRepository } from './catalog.repository.ts';
import { CommitmentsRepository } from './commitments.repository.ts';
import { EventsRepository } from './events.repository.ts';
import { HandoffRepository } from './handoff.repository.ts';
import { NotificationsRepository } from './notifications.repository.ts';
import { WallRepository } from './wall.repository.ts';
import { OutboxRepository } from './outbox.repository.ts';
import { PositionsRepository } from './positions.repository.ts';
import { TokensRepository } from './tokens.repository.ts';
import { UsersRepository } from './users.repository.ts';
import { ActivityRepository } from './activity.repository.ts';
import { ExportRepository } from './export.repository.ts';
import { ImportRepository } from './import.repository.ts';
import { KpiRepository } from './kpi.repository.ts';
import { SignalsRepository } from './signals.repository.ts';
import { SkusRepository } from './skus.repository.ts';
import { WebhooksRepository } from './webhooks.repository.ts';
import { LanesRepository } from './lanes.repository.ts';

/** Every repository, built once per process by the composition root (server/node.ts) and handed to services at construction. */
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

export function createRepositories(sql: Sql): Repositories {
	return {
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
}
