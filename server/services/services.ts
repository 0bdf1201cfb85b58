import type { Config } from '../config.ts';
import type { Sql } from '../db/database.ts';
import type { RecomputeQueue } from '../jobs/queues.ts';
import type { Logger } from '../logger.ts';
import { CatalogRepository } from '../repositories/catalog.repository.ts';
import { EventsRepository } from '../repositories/events.repository.ts';
import { OutboxRepository } from '../repositories/outbox.repository.ts';
import { PositionsRepository } from '../repositories/positions.repository.ts';
import { TokensRepository } from '../repositories/tokens.repository.ts';
import { UsersRepository } from '../repositories/users.repository.ts';
import { AuthService } from './auth.service.ts';
import { IngestService } from './ingest.service.ts';
import { PositionsService } from './positions.service.ts';
import { RecomputeService } from './recompute.service.ts';

export interface Repositories {
	catalog: CatalogRepository;
	events: EventsRepository;
	outbox: OutboxRepository;
	positions: PositionsRepository;
	tokens: TokensRepository;
	users: UsersRepository;
}

export interface Services {
	repos: Repositories;
	auth: AuthService;
	ingest: IngestService;
	positions: PositionsService;
	recompute: RecomputeService;
}

/** Wires repositories into services; the only place that knows every constructor. */
export function createServices(sql: Sql, queue: RecomputeQueue, config: Config, log: Logger): Services {
	const repos: Repositories = {
		catalog: new CatalogRepository(sql),
		events: new EventsRepository(sql),
		outbox: new OutboxRepository(sql),
		positions: new PositionsRepository(sql),
		tokens: new TokensRepository(sql),
		users: new UsersRepository(sql)
	};
	return {
		repos,
		auth: new AuthService({ users: repos.users, tokens: repos.tokens, sessionSecret: config.sessionSecret, ingestToken: config.ingestToken }),
		ingest: new IngestService({ sql, ...repos, queue, log }),
		positions: new PositionsService(repos),
		recompute: new RecomputeService({ sql, ...repos, log })
	};
}
