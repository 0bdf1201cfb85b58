// The board page's calls for keeping a broken promise (CONTRACT wave 2). Plain fetches: the board
// document carries every change back live, so nothing here reloads page data.
import type { CommitmentWithRisk } from '$lib/contract/commitments';
import type { OptionsResponse, ReplanResponse, ReplanRowView } from '$lib/contract/options';

export class OptionsCallError extends Error {
	constructor(
		readonly status: number,
		message: string
	) {
		super(message);
	}
}

async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
	const res = await fetch(path, { method, signal, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
	const data = (await res.json().catch(() => null)) as (T & { error?: string; errors?: { path: string; message: string }[] }) | null;
	if (!res.ok) {
		const detail = data?.errors?.map((e) => e.message).join('; ');
		throw new OptionsCallError(res.status, [data?.error ?? `refused (${res.status})`, detail].filter(Boolean).join(': '));
	}
	return data as T;
}

const at = (id: string) => `/api/commitments/${encodeURIComponent(id)}/options`;

export const fetchOptions = (id: string, signal?: AbortSignal) => call<OptionsResponse>('GET', at(id), undefined, signal);
export const applyOption = (id: string, optionId: string) => call<CommitmentWithRisk[]>('POST', `${at(id)}/${encodeURIComponent(optionId)}/apply`, {});
export const requestOption = (id: string, optionId: string, note?: string) => call<CommitmentWithRisk>('POST', `${at(id)}/${encodeURIComponent(optionId)}/request`, note ? { note } : {});
export const fetchReplan = (sku: string, site: string) => call<ReplanResponse>('GET', `/api/replan?sku=${encodeURIComponent(sku)}&site=${encodeURIComponent(site)}`);
export const applyReplan = (sku: string, site: string, expect: ReplanRowView[]) => call<CommitmentWithRisk[]>('POST', '/api/replan', { sku, site, expect });
