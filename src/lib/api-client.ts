// The one way the pages talk to /api: each route typed from the contract's request and response
// types, and every refusal in one shape (status, code, message) that the pages show alike.
import type { z } from 'zod';
import type * as admin from '$lib/contract/admin';
import type { ApiError, SessionUser, sessionRequestSchema } from '$lib/contract/api';
import type { CommitmentHistoryEntry } from '$lib/contract/board';
import type { CommitmentWithRisk, PromiseCheckResponse, promiseCheckSchema } from '$lib/contract/commitments';
import type { ImportReport } from '$lib/contract/import';
import type { CreatedWebhook, createWebhookSchema } from '$lib/contract/integrations';
import type { handoffWriteSchema, HandoffNote, NotificationPrefs, NotificationState } from '$lib/contract/notifications';
import type { OptionsResponse, ReplanResponse, ReplanRowView } from '$lib/contract/options';
import type { createSignalSchema, DemandSignal, lifecycleChangeSchema } from '$lib/contract/signals';

type In<S extends z.ZodType> = z.input<S>;
type Route<Body, Response> = { body: Body; response: Response };

/** Every /api route a page calls: `METHOD /path/:param` → its body and its answer. */
export interface ApiRoutes {
	'POST /api/session': Route<In<typeof sessionRequestSchema>, { user: SessionUser }>;
	'DELETE /api/session': Route<undefined, unknown>;
	'GET /api/me/notifications': Route<undefined, NotificationState>;
	'PUT /api/me/notifications': Route<NotificationPrefs, NotificationPrefs>;
	'POST /api/alerts/:id/ack': Route<undefined, unknown>;
	'POST /api/promise-check': Route<In<typeof promiseCheckSchema>, PromiseCheckResponse>;
	'GET /api/commitments/:id/history': Route<undefined, CommitmentHistoryEntry[]>;
	'GET /api/commitments/:id/options': Route<undefined, OptionsResponse>;
	'POST /api/commitments/:id/options/:optionId/apply': Route<Record<string, never>, CommitmentWithRisk[]>;
	'POST /api/commitments/:id/options/:optionId/request': Route<{ note?: string }, CommitmentWithRisk>;
	'GET /api/replan': Route<undefined, ReplanResponse>;
	'POST /api/replan': Route<{ sku: string; site: string; expect: ReplanRowView[] }, CommitmentWithRisk[]>;
	'PUT /api/handoff/:site': Route<In<typeof handoffWriteSchema>, HandoffNote>;
	'POST /api/import/:kind': Route<Blob, ImportReport>;
	'POST /api/signals': Route<In<typeof createSignalSchema>, DemandSignal>;
	'POST /api/signals/:id/withdraw': Route<undefined, DemandSignal>;
	'POST /api/skus/:sku/lifecycle': Route<In<typeof lifecycleChangeSchema>, unknown>;
	'POST /api/admin/users': Route<In<typeof admin.createUserSchema>, { user: admin.AdminUser; password?: string }>;
	'PATCH /api/admin/users/:id': Route<In<typeof admin.updateUserSchema>, admin.AdminUser>;
	'POST /api/admin/users/:id/password': Route<undefined, { password: string }>;
	'POST /api/admin/tokens': Route<In<typeof admin.createTokenSchema>, { token: string; name: string; scope: string; board: string | null }>;
	'DELETE /api/admin/tokens/:id': Route<undefined, unknown>;
	'POST /api/admin/boards': Route<In<typeof admin.createBoardSchema>, admin.AdminBoard>;
	'PATCH /api/admin/boards/:id': Route<In<typeof admin.updateBoardSchema>, admin.AdminBoard>;
	'PATCH /api/admin/sites/:code': Route<In<typeof admin.updateSiteSchema>, admin.AdminSite>;
	'PUT /api/admin/lanes/:from/:to': Route<{ transitDays: number }, unknown>;
	'DELETE /api/admin/lanes/:from/:to': Route<undefined, unknown>;
	'PATCH /api/admin/skus/:code': Route<In<typeof admin.updateSkuSchema>, admin.AdminSku>;
	'PUT /api/admin/skus/:code/sites/:site': Route<In<typeof admin.skuSiteParamsSchema>, unknown>;
	'POST /api/admin/webhooks': Route<In<typeof createWebhookSchema>, CreatedWebhook>;
	'DELETE /api/admin/webhooks/:id': Route<undefined, unknown>;
	'POST /api/admin/webhooks/:id/resume': Route<undefined, unknown>;
}

export type ApiRoute = keyof ApiRoutes;
export type ApiResponse<R extends ApiRoute> = ApiRoutes[R]['response'];

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? Name | ParamNames<`/${Rest}`> : P extends `${string}:${infer Name}` ? Name : never;
type Params<R extends ApiRoute> = [ParamNames<R>] extends [never] ? { params?: undefined } : { params: Record<ParamNames<R>, string> };
type Body<R extends ApiRoute> = ApiRoutes[R]['body'] extends undefined ? { body?: undefined } : { body: ApiRoutes[R]['body'] };

export type ApiOptions<R extends ApiRoute> = Params<R> & Body<R> & { query?: Record<string, string>; signal?: AbortSignal };
/** The options, which may be left out when the route takes neither parameters nor a body. */
export type ApiArgs<R extends ApiRoute> = ApiOptions<R> extends { params?: undefined; body?: undefined } ? [opts?: ApiOptions<R>] : [opts: ApiOptions<R>];

/** A refusal as the pages show it: the HTTP status (0: no answer), a short code, and a sentence. */
export class ApiFailure extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		/** Each field the server named (`path: message`). */
		readonly details: string[] = [],
		/** The whole error body, for the routes that send more with a refusal (an import's report). */
		readonly body: unknown = null
	) {
		super(message);
	}
}

const CODES: Record<number, string> = { 0: 'unreachable', 400: 'invalid', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'too_large', 415: 'unsupported_type', 429: 'rate_limited', 503: 'unavailable' };

export function failureOf(status: number, body: Partial<ApiError> | null): ApiFailure {
	const details = body?.errors?.map((e) => `${e.path ? `${e.path}: ` : ''}${e.message}`) ?? [];
	const message = body?.error ?? (status === 0 ? 'The server did not answer. Try again.' : `Refused (${status})`);
	return new ApiFailure(status, CODES[status] ?? (status >= 500 ? 'server_error' : 'refused'), message, details, body);
}

/** The method and URL of `route` with its parameters (each encoded) and query filled in. */
export function requestOf(route: ApiRoute, params: Record<string, string> = {}, query?: Record<string, string>): { method: string; url: string } {
	const [method, pattern] = route.split(' ') as [string, string];
	const path = pattern.replace(/:(\w+)/g, (_m, name: string) => {
		if (params[name] === undefined) throw new Error(`${route}: no value for :${name}`);
		return encodeURIComponent(params[name]);
	});
	return { method, url: query ? `${path}?${new URLSearchParams(query)}` : path };
}

/** Calls `route` (same origin: the browser sends the session cookie); throws an ApiFailure when refused. */
export async function api<R extends ApiRoute>(route: R, ...[opts]: ApiArgs<R>): Promise<ApiResponse<R>> {
	const o = (opts ?? {}) as { params?: Record<string, string>; body?: unknown; query?: Record<string, string>; signal?: AbortSignal };
	const { method, url } = requestOf(route, o.params, o.query);
	const blob = o.body instanceof Blob;
	let res: Response;
	try {
		res = await fetch(url, {
			method,
			signal: o.signal,
			headers: o.body === undefined ? {} : { 'content-type': blob ? 'text/csv' : 'application/json' },
			body: o.body === undefined ? undefined : blob ? (o.body as Blob) : JSON.stringify(o.body)
		});
	} catch (err) {
		if ((err as Error).name === 'AbortError') throw err;
		throw failureOf(0, null);
	}
	const text = await res.text();
	let data: unknown = null;
	try {
		data = text ? JSON.parse(text) : null;
	} catch {
		// A proxy's HTML error page, say: the status still tells what happened.
	}
	if (!res.ok) throw failureOf(res.status, data as Partial<ApiError> | null);
	return data as ApiResponse<R>;
}
