import type { NotificationPrefs, NotificationState } from '../../src/lib/contract/notifications.ts';
import { defaultPrefs } from '../../src/lib/core/notify.ts';
import { can, canSeeSite, type Principal } from '../../src/lib/policy/access.policy.ts';
import { BadRequestError, ForbiddenError } from './errors.ts';
import type { Repositories } from '../repositories/repositories.ts';

/** Per-user toast preferences. Only people have them: tokens (wall screens) get no toasts by preference. */
export class NotificationsService {
	constructor(private readonly repos: Pick<Repositories, 'notifications' | 'outbox' | 'catalog'>) {}

	async state(p: Principal): Promise<NotificationState> {
		const user = this.person(p);
		// The seq first: anything committed after it reaches the client through replay.
		const sinceSeq = await this.repos.outbox.lastSeq();
		return { prefs: await this.prefs(user), sinceSeq, user: { email: user.email, role: user.role }, canAck: can(user, 'alerts:ack') };
	}

	async prefs(p: Principal): Promise<NotificationPrefs> {
		const user = this.person(p);
		return (await this.repos.notifications.get(user.userId)) ?? defaultPrefs(user.role);
	}

	async save(p: Principal, prefs: NotificationPrefs): Promise<NotificationPrefs> {
		const user = this.person(p);
		const sites = [...new Set(prefs.sites)].sort();
		const known = new Set((await this.repos.catalog.listSites()).map((s) => s.code));
		const bad = sites.filter((s) => !known.has(s) || !canSeeSite(user, s));
		if (bad.length) {
			throw new BadRequestError('unknown sites', bad.map((s) => ({ path: 'sites', message: `you cannot follow site ${s}` })));
		}
		const clean = { ...prefs, sites };
		await this.repos.notifications.save(user.userId, clean);
		return clean;
	}

	private person(p: Principal) {
		if (p.kind !== 'user') throw new ForbiddenError('notification preferences belong to signed-in people');
		return p;
	}
}
