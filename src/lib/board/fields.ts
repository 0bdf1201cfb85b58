import type { CardKey } from '../contract/board.ts';
import type { CommitmentStatus } from '../contract/domain.ts';

export const FIELD_LABELS: Record<CardKey, string> = {
	customer: 'Customer',
	sku: 'SKU',
	qty: 'Quantity',
	requestedDate: 'Requested date',
	promisedDate: 'Promised date',
	site: 'Ship-from site',
	status: 'Status',
	owner: 'Owner',
	priority: 'Priority',
	notes: 'Notes'
};

export const LANES: { status: CommitmentStatus; title: string }[] = [
	{ status: 'requested', title: 'Requested' },
	{ status: 'confirmed', title: 'Confirmed' },
	{ status: 'shipped', title: 'Shipped' },
	{ status: 'cancelled', title: 'Cancelled' }
];

/** Shown as a history line: "promised date 2026-12-15 → 2026-12-16". */
export function fieldName(field: string | null): string {
	return field && field in FIELD_LABELS ? FIELD_LABELS[field as CardKey].toLowerCase() : (field ?? 'commitment');
}

/** Initials for a presence chip. */
export function initials(name: string): string {
	const parts = name.trim().split(/[\s@._-]+/).filter(Boolean);
	return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

/** A calendar date as a short, unambiguous label ("Mon 14 Dec"). */
export function shortDate(date: string | null | undefined): string {
	if (!date) return '—';
	const d = new Date(`${date}T12:00:00Z`);
	return d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}
