// The board page's calls for keeping a broken promise (CONTRACT wave 2). Nothing here reloads page
// data: the board document carries every change back live. Refusals are ApiFailures.
import { api } from '$lib/api-client';
import type { ReplanRowView } from '$lib/contract/options';

export const fetchOptions = (id: string, signal?: AbortSignal) => api('GET /api/commitments/:id/options', { params: { id }, signal });
export const applyOption = (id: string, optionId: string) => api('POST /api/commitments/:id/options/:optionId/apply', { params: { id, optionId }, body: {} });
export const requestOption = (id: string, optionId: string, note?: string) =>
	api('POST /api/commitments/:id/options/:optionId/request', { params: { id, optionId }, body: note ? { note } : {} });
export const fetchReplan = (sku: string, site: string) => api('GET /api/replan', { query: { sku, site } });
export const applyReplan = (sku: string, site: string, expect: ReplanRowView[]) => api('POST /api/replan', { body: { sku, site, expect } });
