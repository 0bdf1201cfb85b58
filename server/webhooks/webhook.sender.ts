import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveTarget, RefusedUrlError } from './webhook.url-guard.ts';

export interface SendResult {
	ok: boolean;
	statusCode: number | null;
	durationMs: number;
	error: string | null;
	/** The URL is refused outright (SSRF guard): retrying cannot help. */
	refused: boolean;
}

export interface SendOptions {
	url: string;
	body: string;
	headers: Record<string, string>;
	timeoutMs: number;
	allowHosts: readonly string[];
}

const USER_AGENT = 'Promiseboard-Webhooks/1';

/**
 * One POST. node:http rather than fetch because it takes a `lookup`: the connection goes to the
 * address the guard checked, never to one a second DNS answer might give. Redirects are not
 * followed (a 3xx is a failure), so a receiver cannot bounce us to a forbidden address either.
 * AbortSignal.timeout bounds the whole exchange, headers and body alike.
 */
export async function sendWebhook(o: SendOptions): Promise<SendResult> {
	const started = performance.now();
	const elapsed = () => Math.round(performance.now() - started);
	let target: { address: string; family: 4 | 6 };
	const url = new URL(o.url);
	try {
		target = await resolveTarget(url, o.allowHosts);
	} catch (err) {
		const refused = err instanceof RefusedUrlError;
		return { ok: false, statusCode: null, durationMs: elapsed(), error: (err as Error).message, refused };
	}
	const lookup: LookupFunction = (_host, opts, cb) => {
		if (opts?.all) cb(null, [{ address: target.address, family: target.family }]);
		else cb(null, target.address, target.family);
	};
	const options: RequestOptions = {
		method: 'POST',
		lookup,
		signal: AbortSignal.timeout(o.timeoutMs),
		headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(o.body)), 'user-agent': USER_AGENT, ...o.headers }
	};
	const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
	return new Promise<SendResult>((resolve) => {
		const req = send(url, options, (res) => {
			// Drain the answer (bounded by the same timeout) so the socket is freed; its content is not kept.
			res.on('data', () => {});
			res.on('error', (err) => resolve({ ok: false, statusCode: res.statusCode ?? null, durationMs: elapsed(), error: err.message, refused: false }));
			res.on('end', () => {
				const code = res.statusCode ?? 0;
				const ok = code >= 200 && code < 300;
				resolve({ ok, statusCode: code, durationMs: elapsed(), error: ok ? null : `HTTP ${code}`, refused: false });
			});
		});
		req.on('error', (err) => {
			const timedOut = err.name === 'AbortError' || err.name === 'TimeoutError';
			resolve({ ok: false, statusCode: null, durationMs: elapsed(), error: timedOut ? `timed out after ${o.timeoutMs} ms` : err.message, refused: false });
		});
		req.end(o.body);
	});
}
