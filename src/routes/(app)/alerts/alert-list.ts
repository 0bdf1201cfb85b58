import type { AlertKind, AlertStatus, Severity } from '$lib/contract/domain';
import type { AlertMessage } from '$lib/contract/socket-events';
import { severityRank } from '$lib/core/alert-reconcile';

export type AlertView = Omit<AlertMessage, 'seq' | 'change'>;
export interface AlertFilter {
	status: AlertStatus | 'live' | 'all';
	severity?: Severity;
	kind?: AlertKind;
	site?: string;
}

/** The same filter the server applied, so live updates join or leave the list as the page would on reload. */
export function matches(f: AlertFilter, a: AlertView): boolean {
	if (f.status === 'live' ? a.status === 'resolved' : f.status !== 'all' && a.status !== f.status) return false;
	return (!f.severity || a.severity === f.severity) && (!f.kind || a.kind === f.kind) && (!f.site || a.site === f.site);
}

/** Loaded rows overlaid with live ones (newer wins by id), filtered, most severe and newest first. */
export function mergeAlerts(loaded: AlertView[], live: Iterable<AlertView>, f: AlertFilter): AlertView[] {
	const byId = new Map(loaded.map((a) => [a.id, a]));
	for (const a of live) byId.set(a.id, a);
	return [...byId.values()]
		.filter((a) => matches(f, a))
		.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0));
}
