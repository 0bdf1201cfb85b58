import type { AlertKind } from '$lib/contract/domain';
import type { AlertMessage } from '$lib/contract/socket-events';

const LABELS: Partial<Record<AlertKind, string>> = {
	commitment_short: 'Commitment short',
	stockout_projected: 'Stockout projected',
	below_safety_stock: 'Below safety stock',
	late_inbound: 'Late inbound',
	below_reorder_point: 'Below reorder point',
	backorder_aging: 'Backorder aging',
	lifecycle_change: 'Lifecycle change'
};

/** A kind in words; kinds added later read fine before they get a label of their own. */
export function kindLabel(kind: AlertKind): string {
	return LABELS[kind] ?? kind.charAt(0).toUpperCase() + kind.slice(1).replaceAll('_', ' ');
}

type Subject = Pick<AlertMessage, 'kind' | 'sku' | 'site' | 'commitmentId'>;

/** "Commitment C2 · K at S" or "K at S": what the alert is about, in one line. */
export function alertSubject(a: Subject): string {
	const pair = [a.sku, a.site].filter(Boolean).join(' at ');
	return a.commitmentId ? `Commitment ${a.commitmentId}${pair ? ` · ${pair}` : ''}` : pair || kindLabel(a.kind);
}

/** Where "Open" goes: the commitment's card on the board, or the SKU's page (every site, ATP, inbound). */
export function alertTarget(a: Subject): { path: `/${string}`; query: string; label: string } {
	if (a.commitmentId) return { path: '/board', query: `?commitment=${encodeURIComponent(a.commitmentId)}`, label: 'Open card' };
	if (a.sku) return { path: `/skus/${encodeURIComponent(a.sku)}`, query: a.site ? `?site=${encodeURIComponent(a.site)}` : '', label: 'Open SKU' };
	return { path: '/alerts', query: '', label: 'Open alerts' };
}
