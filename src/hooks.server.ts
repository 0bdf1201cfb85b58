import { error, type Handle } from '@sveltejs/kit';

/** Express authenticated the request already; SvelteKit only reads what it found. */
export const handle: Handle = async ({ event, resolve }) => {
	const ctx = event.platform?.req.pb;
	if (!ctx) error(500, 'Promiseboard pages are served by the Promiseboard server (npm start)');
	event.locals.ctx = ctx;
	event.locals.principal = ctx.principal;
	return resolve(event);
};
