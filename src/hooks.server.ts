import { error, type Handle, type HandleServerError } from '@sveltejs/kit';
import { isUnavailableError, RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE } from '$lib/server/unavailable';

/** Express authenticated the request already; SvelteKit only reads what it found. */
export const handle: Handle = async ({ event, resolve }) => {
	const ctx = event.platform?.req.pb;
	if (!ctx) error(500, 'Promiseboard pages are served by the Promiseboard server (npm start)');
	event.locals.ctx = ctx;
	event.locals.principal = ctx.principal;
	const response = await resolve(event);
	// A load that failed because Postgres is away is an outage, not a bug: 503 and "try again", never a 500.
	if (event.locals.unavailable && response.status >= 500) {
		return new Response(`${UNAVAILABLE_MESSAGE}\n`, {
			status: 503,
			headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' }
		});
	}
	return response;
};

export const handleError: HandleServerError = ({ error: err, event }) => {
	if (isUnavailableError(err)) {
		event.locals.unavailable = true;
		return { message: UNAVAILABLE_MESSAGE };
	}
	console.error(err);
	return { message: 'Internal Error' };
};
