// Which demand signals bear on a commitment: the live ones of its SKU×site that start by the date it
// ships (a signal that starts later competes for no stock the commitment needs).
import type { DemandSignal } from '$lib/contract/signals';
import type { CardValues } from '$lib/contract/board';

export type BoardSignal = Pick<DemandSignal, 'id' | 'sku' | 'site' | 'kind' | 'customer' | 'qty' | 'per' | 'startDate' | 'endDate' | 'note' | 'createdBy' | 'withdrawnAt'>;

const pairKey = (sku: string, site: string) => `${sku}\u0000${site}`;

/** Signals indexed by SKU×site, withdrawn ones left out. */
export function indexSignals(signals: readonly BoardSignal[]): Map<string, BoardSignal[]> {
	const out = new Map<string, BoardSignal[]>();
	for (const s of signals) {
		if (s.withdrawnAt) continue;
		const key = pairKey(s.sku, s.site);
		const list = out.get(key);
		if (list) list.push(s);
		else out.set(key, [s]);
	}
	return out;
}

const NONE: BoardSignal[] = [];

export function signalsAffecting(index: ReadonlyMap<string, BoardSignal[]>, card: Pick<CardValues, 'sku' | 'site' | 'promisedDate' | 'requestedDate'>): BoardSignal[] {
	if (!card.sku || !card.site) return NONE;
	const all = index.get(pairKey(card.sku, card.site));
	if (!all) return NONE;
	const ships = card.promisedDate ?? card.requestedDate;
	return ships ? all.filter((s) => s.startDate <= ships) : all;
}

/** A short, human description of one signal ("Acme ~40/week from 2026-12-14"). */
export function describeSignal(s: BoardSignal): string {
	const who = s.customer ? `${s.customer} ` : '';
	const until = s.endDate ? ` to ${s.endDate}` : '';
	if (s.kind === 'fading') return `${who}demand fading from ${s.startDate}${until}`;
	if (s.kind === 'promotion') return `${who}promotion +${s.qty} from ${s.startDate}${until}`;
	return `${who}~${s.qty}${s.per === 'total' ? ' in total' : `/${s.per}`} from ${s.startDate}${until}`;
}
