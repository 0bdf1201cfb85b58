import type { Request, RequestHandler, Response } from 'express';
import { RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE } from '../../src/lib/server/unavailable.ts';

export interface DatabaseState {
	/** Why the database counts as away right now, or null while it answers. */
	problem(): string | null;
}

/** 503, `Retry-After` and a plain message: JSON for the API, text for pages and anything else. */
export function sendUnavailable(req: Request, res: Response, message = UNAVAILABLE_MESSAGE): void {
	if (res.headersSent) return;
	res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
	res.setHeader('Cache-Control', 'no-store');
	if (req.path.startsWith('/api/')) res.status(503).json({ error: message });
	else res.status(503).type('text/plain; charset=utf-8').send(`${message}\n`);
}

/**
 * No request waits on a hung database for more than about `afterMs`: past it, a request that has
 * not started answering gets 503 if the database health probe says Postgres is away. While it
 * answers, a slow request (a large import, 10,000 events) simply goes on. The handler may still
 * finish later; its answer is then dropped (see the error middleware), and every write it made is
 * idempotent or was never acknowledged.
 */
export function databaseDeadline(db: DatabaseState, afterMs = 1500, recheckMs = 200): RequestHandler {
	return (req, res, next) => {
		let timer: NodeJS.Timeout | undefined;
		const check = () => {
			if (res.headersSent) return;
			if (db.problem() === null) return void (timer = setTimeout(check, recheckMs));
			sendUnavailable(req, res);
			silenceLateWriters(res);
		};
		timer = setTimeout(check, afterMs);
		res.once('close', () => clearTimeout(timer));
		next();
	};
}

/**
 * The handler that was waiting on the database finishes some time later and answers into a response
 * that is already sent. Express would pass that error on; SvelteKit's adapter throws it outside any
 * promise chain, which would end the process. So a response settled by the deadline ignores writers.
 */
function silenceLateWriters(res: Response): void {
	const r = res as unknown as Record<string, unknown>;
	for (const method of ['setHeader', 'appendHeader', 'removeHeader', 'writeHead', 'flushHeaders']) r[method] = () => res;
	r.write = (...args: unknown[]) => {
		const cb = args.find((a) => typeof a === 'function') as (() => void) | undefined;
		cb?.();
		return true;
	};
	r.end = (...args: unknown[]) => {
		const cb = args.find((a) => typeof a === 'function') as (() => void) | undefined;
		cb?.();
		return res;
	};
}
