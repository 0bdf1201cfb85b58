// Who gets a toast for which alert, and how a burst of replayed alerts is summarised. Pure: the
// toast layer in the app and the unit tests share these answers.
import type { AlertKind, Role, Severity } from '../contract/domain.ts';
import type { NotificationPrefs } from '../contract/notifications.ts';
import type { AlertMessage } from '../contract/socket-events.ts';
import { severityRank } from './alert-reconcile.ts';

type AlertLike = Pick<AlertMessage, 'kind' | 'severity' | 'site' | 'status' | 'commitmentId' | 'change'>;

/** Kinds about promises made to customers: what a sales rep acts on. */
const SALES_KINDS: readonly AlertKind[] = ['commitment_short', 'late_inbound', 'lifecycle_change'];

/** Preferences a user starts with, until they save their own. */
export function defaultPrefs(role: Role): NotificationPrefs {
	switch (role) {
		case 'sales':
			return { enabled: true, role: 'sales', sites: [], minSeverity: 'high' };
		case 'viewer':
			return { enabled: false, role: 'all', sites: [], minSeverity: 'critical' };
		default:
			return { enabled: true, role: 'ops', sites: [], minSeverity: 'medium' };
	}
}

/** Whether an alert concerns the person with these preferences (severity, sites, the job they do). */
export function concerns(prefs: NotificationPrefs, a: AlertLike): boolean {
	if (!prefs.enabled) return false;
	if (severityRank(a.severity) > severityRank(prefs.minSeverity)) return false;
	if (prefs.sites.length > 0 && a.site !== null && !prefs.sites.includes(a.site)) return false;
	// A late PO line matters to sales only when it breaks a promise (it then names the commitment).
	if (prefs.role === 'sales') return SALES_KINDS.includes(a.kind) && (a.kind !== 'late_inbound' || a.commitmentId !== null);
	return true;
}

export type ToastAction = 'show' | 'refresh' | 'dismiss';

/**
 * What an alert message does to its toast: a new or escalated open alert pops one; any other change
 * to an open alert refreshes a toast already shown; acknowledged or resolved removes it everywhere.
 */
export function toastAction(a: AlertLike): ToastAction {
	if (a.status !== 'open') return 'dismiss';
	// Rows written before `change` existed: showing is safer than staying silent.
	if (a.change === undefined || a.change === 'opened' || a.change === 'escalated') return 'show';
	return 'refresh';
}

/** More alerts than this in one replay are summarised in one toast instead of one toast each. */
export const SUMMARY_THRESHOLD = 3;

export interface ReplaySummary {
	count: number;
	worst: Severity;
	text: string;
}

/** "12 alerts while you were away (2 critical)", or null when there is nothing to say. */
export function summarise(alerts: Pick<AlertMessage, 'severity'>[]): ReplaySummary | null {
	if (alerts.length === 0) return null;
	let worst: Severity = 'low';
	const critical = alerts.filter((a) => a.severity === 'critical').length;
	for (const a of alerts) if (severityRank(a.severity) < severityRank(worst)) worst = a.severity;
	const noun = alerts.length === 1 ? 'alert' : 'alerts';
	const extra = critical > 0 ? ` (${critical} critical)` : '';
	return { count: alerts.length, worst, text: `${alerts.length} ${noun} while you were away${extra}` };
}

/**
 * Alerts of a replay that still deserve attention: the last message per alert decides, so one that
 * opened and was acknowledged while the tab slept is not announced.
 */
export function pendingAfterReplay<T extends AlertLike & { id: string }>(messages: T[], prefs: NotificationPrefs): T[] {
	const last = new Map<string, T>();
	const popped = new Set<string>();
	for (const m of messages) {
		last.set(m.id, m);
		if (toastAction(m) === 'show') popped.add(m.id);
	}
	return [...last.values()].filter((m) => popped.has(m.id) && m.status === 'open' && concerns(prefs, m));
}
