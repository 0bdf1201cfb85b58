// Turns "the alerts that should be open now" into changes against the alerts that are open, so an
// alert resolves itself when its condition clears and there is never more than one per kind+subject.
import type { AlertKind, Severity } from '../contract/domain.ts';
import { SEVERITIES } from '../contract/domain.ts';
import type { DesiredAlert } from './alert-types.ts';

/** An alert that is open or acknowledged (anything not yet resolved). */
export interface OpenAlert {
	id: string;
	kind: AlertKind;
	subjectKey: string;
	severity: Severity;
	message: string;
}

export interface AlertUpdate {
	id: string;
	severity: Severity;
	message: string;
	/** Severity went up: an acknowledged alert may deserve to be re-raised. */
	escalated: boolean;
	desired: DesiredAlert;
}

export interface AlertReconciliation<T extends OpenAlert> {
	toOpen: DesiredAlert[];
	toUpdate: AlertUpdate[];
	toResolve: T[];
}

export interface ReconcileOptions {
	/** Only alerts of these kinds are managed; open alerts of other kinds are left alone. */
	kinds?: readonly AlertKind[];
}

/** Lower is more severe. */
export function severityRank(s: Severity): number {
	return SEVERITIES.indexOf(s);
}

function keyOf(a: { kind: AlertKind; subjectKey: string }): string {
	return `${a.kind}\u0000${a.subjectKey}`;
}

/**
 * `currentOpen` must cover the same scope the desired list was computed for (e.g. one SKU×site);
 * anything in it that is not desired is resolved. Duplicates in `currentOpen` (same kind and
 * subject) are collapsed: the first listed is kept, so pass them oldest first.
 */
export function reconcileAlerts<T extends OpenAlert>(
	currentOpen: readonly T[],
	desired: readonly DesiredAlert[],
	options: ReconcileOptions = {}
): AlertReconciliation<T> {
	const managed = options.kinds ? new Set<AlertKind>(options.kinds) : null;
	const wanted = new Map<string, DesiredAlert>();
	for (const d of desired) {
		if (managed && !managed.has(d.kind)) continue;
		const k = keyOf(d);
		const prev = wanted.get(k);
		if (!prev || severityRank(d.severity) < severityRank(prev.severity)) wanted.set(k, d);
	}

	const kept = new Map<string, T>();
	const toResolve: T[] = [];
	for (const a of currentOpen) {
		if (managed && !managed.has(a.kind)) continue;
		const k = keyOf(a);
		if (!wanted.has(k) || kept.has(k)) toResolve.push(a);
		else kept.set(k, a);
	}

	const toOpen: DesiredAlert[] = [];
	const toUpdate: AlertUpdate[] = [];
	for (const [k, d] of wanted) {
		const cur = kept.get(k);
		if (!cur) toOpen.push(d);
		else if (cur.severity !== d.severity || cur.message !== d.message)
			toUpdate.push({
				id: cur.id,
				severity: d.severity,
				message: d.message,
				escalated: severityRank(d.severity) < severityRank(cur.severity),
				desired: d
			});
	}
	return { toOpen, toUpdate, toResolve };
}
