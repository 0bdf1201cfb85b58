import type { AlertListQuery } from '../../src/lib/contract/notifications.ts';
import { can, canSeeSite, principalLabel, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Sql } from '../db/database.ts';
import { toAlertPayload, type AlertRow } from '../repositories/alerts.repository.ts';
import { AppError, ForbiddenError, NotFoundError } from './errors.ts';
import type { Repositories } from '../repositories/repositories.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AlertsService {
	constructor(
		private readonly sql: Sql,
		private readonly repos: Pick<Repositories, 'alerts' | 'outbox'>
	) {}

	/** What the principal may see, filtered; `live` lists open and acknowledged alerts together. */
	list(p: Principal, q: Partial<AlertListQuery> & { live?: boolean } = {}): Promise<AlertRow[]> {
		const { limit = 500, ...filter } = q;
		return this.repos.alerts.list(filter, visibleSites(p), limit);
	}

	/** Records who acknowledged; the change goes out through the outbox so every screen drops the toast. */
	async acknowledge(p: Principal, id: string): Promise<AlertRow> {
		if (!can(p, 'alerts:ack')) throw new ForbiddenError('your role may not acknowledge alerts');
		if (!UUID.test(id)) throw new NotFoundError('no such alert');
		return this.sql.begin(async (tx) => {
			const before = await this.repos.alerts.get(tx, id);
			if (!before || !canSeeSite(p, before.site)) throw new NotFoundError('no such alert');
			const row = await this.repos.alerts.acknowledge(tx, id, principalLabel(p));
			if (!row) throw new AppError(409, `alert is already ${before.status}`);
			await this.repos.outbox.append(tx, [{ topic: 'alert', site: row.site, payload: { ...toAlertPayload(row) } }]);
			return row;
		});
	}
}
