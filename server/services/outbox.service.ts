import type { Repositories } from '../repositories/repositories.ts';

/** Where the live feed stands: a page reads the last seq before its data, and replays from it once its socket connects. */
export class OutboxService {
	constructor(private readonly repos: Pick<Repositories, 'outbox'>) {}

	lastSeq(): Promise<number> {
		return this.repos.outbox.lastSeq();
	}
}
