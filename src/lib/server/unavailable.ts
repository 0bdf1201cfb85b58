/**
 * Tells "a dependency is away" (answer 503 and let the caller retry) from a bug (500). Pure, so the
 * Express error middleware and SvelteKit's hooks classify alike.
 */

/** Node socket errors and postgres.js's own codes for a connection that is gone or never came. */
const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EPIPE',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EAI_AGAIN',
	'CONNECT_TIMEOUT',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED'
]);

/** SQLSTATEs that mean the server cannot serve now, not that the statement is wrong. */
const UNAVAILABLE_SQLSTATES = new Set([
	'57P01', // admin_shutdown
	'57P02', // crash_shutdown
	'57P03', // cannot_connect_now (starting up, recovering)
	'57014', // query_canceled: our statement_timeout
	'25P03' // idle_in_transaction_session_timeout
]);

/** ioredis errors of a request-path connection that fails fast instead of queueing. */
const REDIS_MESSAGES = /Stream isn't writeable|Connection is closed|Command timed out|Reached the max retries per request/;

export function isUnavailableError(err: unknown): boolean {
	if (!err || typeof err !== 'object') return false;
	const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
	if (e.name === 'DependencyUnavailableError') return true;
	const code = typeof e.code === 'string' ? e.code : '';
	if (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
	// Class 08: connection exception; class 53: insufficient resources (too many connections, disk full).
	if (/^(08|53)[0-9A-Z]{3}$/.test(code)) return true;
	if (typeof e.message === 'string' && REDIS_MESSAGES.test(e.message)) return true;
	return e.cause !== undefined && e.cause !== err && isUnavailableError(e.cause);
}

/** Seconds a client should wait before retrying while a dependency is away. */
export const RETRY_AFTER_SECONDS = 5;

export const UNAVAILABLE_MESSAGE = 'Service temporarily unavailable: the database is not answering. Try again in a few seconds.';
