import type { PromiseCheckResponse } from '$lib/contract/commitments';
import { api } from '$lib/api-client';
import type { IsoDate } from '$lib/contract/domain';

export interface PromiseQuestion {
	sku: string;
	qty: number;
	date: IsoDate;
	site?: string;
	/** A card already on the board is not competing with itself. */
	excludeCommitmentId?: string;
}

/** "Can I promise 40 × SKU by the 14th?" through POST /api/promise-check. */
export async function checkPromise(q: PromiseQuestion, signal?: AbortSignal): Promise<PromiseCheckResponse> {
	return api('POST /api/promise-check', { body: q, signal });
}

/** The answer in one line: "40 by the 14th: yes from WEST; EAST only from the 21st". */
export function describePromise(qty: number, date: IsoDate, r: PromiseCheckResponse): string {
	const head = `${qty.toLocaleString('en-US')} by ${dayRef(date, date)}`;
	if (r.options.length === 0) return `${head}: no site stocks or expects it`;
	const yes = r.options.filter((o) => o.feasible);
	const no = r.options.filter((o) => !o.feasible);
	const parts: string[] = [];
	if (yes.length) parts.push(`yes from ${yes.map((o) => (o.needsPo ? `${o.site} (needs a PO)` : o.site)).join(', ')}`);
	const later = no.map((o) => (o.earliestDate ? `${o.site} only from ${dayRef(o.earliestDate, date)}` : `${o.site} cannot (short by ${o.shortQty})`));
	if (later.length) parts.push(yes.length ? later.join('; ') : `no — ${later.join('; ')}`);
	return `${head}: ${parts.join('; ')}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "the 21st" in the month of `ref`; otherwise "the 3rd of January" (and the year if it differs). */
export function dayRef(date: IsoDate, ref: IsoDate): string {
	const [y, m, d] = date.split('-').map(Number);
	const [ry, rm] = ref.split('-').map(Number);
	const day = `the ${ordinal(d)}`;
	if (y === ry && m === rm) return day;
	return `${day} of ${MONTHS[m - 1]}${y === ry ? '' : ` ${y}`}`;
}

export function ordinal(n: number): string {
	const teen = n % 100 >= 11 && n % 100 <= 13;
	const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
	return `${n}${suffix}`;
}
