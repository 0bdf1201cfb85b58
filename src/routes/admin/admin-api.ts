import { invalidateAll } from '$app/navigation';
import { toast } from 'svelte-sonner';
import type { ApiError } from '$lib/contract/api';

/**
 * Calls the admin REST API from an admin page (same origin, so the browser sends the session cookie
 * and Origin), reports a refusal as a toast, and reloads the page data after a change.
 */
export async function adminCall<T = unknown>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T | null> {
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
