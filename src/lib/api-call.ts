import { invalidateAll } from '$app/navigation';
import { toast } from 'svelte-sonner';
import type { ApiError } from '$lib/contract/api';

/**
 * A JSON call to the REST API from a page (same origin: the browser sends the session cookie and
 * Origin). A refusal is toasted with every field it names; a success reloads the page data.
 */
export async function apiCall<T = unknown>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T | null> {
	let res: Response;
	try {
		res = await fetch(path, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch {
		toast.error('The server did not answer. Try again.');
		return null;
	}
	const text = await res.text();
	const data = text ? (JSON.parse(text) as T & ApiError) : null;
	if (!res.ok) {
		const detail = data?.errors?.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`).join('; ');
		toast.error(data?.error ?? `Refused (${res.status})`, detail ? { description: detail } : undefined);
		return null;
	}
	await invalidateAll();
	return (data ?? ({} as T)) as T;
}
