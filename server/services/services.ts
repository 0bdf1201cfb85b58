import type { Config } from '../config.ts';
import type { Sql } from '../db/database.ts';
import type { RecomputeQueue } from '../jobs/queues.ts';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { AuditRepository } from '../repositories/audit.repository.ts';
import { CatalogAdminRepository } from '../repositories/catalog-admin.repository.ts';
import { AlertsRepository } from '../repositories/alerts.repository.ts';
import { CatalogRepository } from '../repositories/catalog.repository.ts';
import { CommitmentsRepository } from '../repositories/commitments.repository.ts';
import { EventsRepository } from '../repositories/events.repository.ts';
import { OutboxRepository } from '../repositories/outbox.repository.ts';
import { PositionsRepository } from '../repositories/positions.repository.ts';
import { TokensRepository } from '../repositories/tokens.repository.ts';
import { UsersRepository } from '../repositories/users.repository.ts';
import { AdminService } from './admin.service.ts';
import { AuthService } from './auth.service.ts';
import { IngestService } from './ingest.service.ts';
import { AlertsService } from './alerts.service.ts';
import { AvailabilityService } from './availability.service.ts';
import { CommitmentsService } from './commitments.service.ts';
import { RateLimits } from './rate-limit.service.ts';
import { RecomputeService } from './recompute.service.ts';

export interface Repositories {
	audit: AuditRepository;
	catalogAdmin: CatalogAdminRepository;
	alerts: AlertsRepository;
	catalog: CatalogRepository;
	commitments: CommitmentsRepository;
	events: EventsRepository;
	outbox: OutboxRepository;
	positions: PositionsRepository;
	tokens: TokensRepository;
	users: UsersRepository;
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
	recompute: RecomputeService;
}

/**
 * Wires repositories into services; the only place that knows every constructor. `redis` backs the
 * rate limits shared across nodes; without it they are per process.
 */
export function createServices(sql: Sql, queue: RecomputeQueue, config: Config, log: Logger, redis: Redis | null = null): Services {
	const repos: Repositories = {
		audit: new AuditRepository(sql),
		catalogAdmin: new CatalogAdminRepository(sql),
		alerts: new AlertsRepository(sql),
		catalog: new CatalogRepository(sql),
		commitments: new CommitmentsRepository(sql),
		events: new EventsRepository(sql),
		outbox: new OutboxRepository(sql),
		positions: new PositionsRepository(sql),
		tokens: new TokensRepository(sql),
		users: new UsersRepository(sql)
	};
	const limits = new RateLimits(redis, config.redisPrefix);
	const auth = new AuthService({ ...repos, limits, sessionSecret: config.sessionSecret, ingestToken: config.ingestToken });
	return {
		repos,
		auth,
		admin: new AdminService({ sql, ...repos, auth, queue, log }),
		limits,
		ingest: new IngestService({ sql, ...repos, queue, log }),
		availability: new AvailabilityService(sql, repos),
		alerts: new AlertsService(sql, repos),
		commitments: new CommitmentsService(sql, repos, queue),
		recompute: new RecomputeService({ sql, ...repos, log })
	};
}
