import { invalidateAll } from '$app/navigation';
import { toast } from 'svelte-sonner';
import { api, ApiFailure, type ApiArgs, type ApiResponse, type ApiRoute } from '$lib/api-client';

/** How every page shows a refusal: its sentence, and each field it names underneath. */
export function showFailure(err: unknown): void {
	if (!(err instanceof ApiFailure)) throw err;
	toast.error(err.message, err.details.length ? { description: err.details.join('; ') } : undefined);
}

/**
 * A change made from a page: a refusal is toasted (showFailure) and answers null; a success reloads
 * the page data and answers the body (an empty object when there is none, so it is always truthy).
 */
export async function apiCall<R extends ApiRoute>(route: R, ...args: ApiArgs<R>): Promise<ApiResponse<R> | null> {
	let data: ApiResponse<R>;
	try {
		data = await api(route, ...args);
	} catch (err) {
		showFailure(err);
		return null;
	}
	await invalidateAll();
	return (data ?? {}) as ApiResponse<R>;
}
