import type { NotificationPrefs } from '../../src/lib/contract/notifications.ts';
import type { Sql } from '../db/database.ts';

export class NotificationsRepository {
	constructor(private readonly sql: Sql) {}

	/** The saved preferences, or null when the user never saved any. */
	async get(userId: string): Promise<NotificationPrefs | null> {
		const [row] = await this.sql<NotificationPrefs[]>`
			select enabled, role, sites, min_severity from notification_prefs where user_id = ${userId}
		`;
		return row ?? null;
	}

	async save(userId: string, p: NotificationPrefs): Promise<void> {
		await this.sql`
			insert into notification_prefs (user_id, enabled, role, sites, min_severity)
			values (${userId}, ${p.enabled}, ${p.role}, ${this.sql.array(p.sites)}::text[], ${p.minSeverity})
			on conflict (user_id) do update set enabled = excluded.enabled, role = excluded.role, sites = excluded.sites,
				min_severity = excluded.min_severity, updated_at = now()
		`;
	}
}
