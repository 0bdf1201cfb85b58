import { describe, expect, it } from 'vitest';
import { isUnavailableError } from './unavailable.ts';

const err = (props: Record<string, unknown>) => Object.assign(new Error(String(props.message ?? 'x')), props);

describe('isUnavailableError', () => {
	it('calls a database or Redis that is away unavailable (503)', () => {
		for (const code of ['ECONNREFUSED', 'ECONNRESET', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']) {
			expect(isUnavailableError(err({ code })), code).toBe(true);
		}
		// Shutting down, crashed, starting up; our statement_timeout; connection exceptions; too many connections.
		for (const code of ['57P01', '57P02', '57P03', '57014', '08006', '08001', '53300']) expect(isUnavailableError(err({ code })), code).toBe(true);
		expect(isUnavailableError(err({ message: "Stream isn't writeable and enableOfflineQueue options is false" }))).toBe(true);
		expect(isUnavailableError(err({ message: 'Command timed out' }))).toBe(true);
		expect(isUnavailableError(err({ name: 'DependencyUnavailableError' }))).toBe(true);
		expect(isUnavailableError(err({ message: 'wrapped', cause: err({ code: 'ECONNREFUSED' }) }))).toBe(true);
	});

	it('leaves bugs and bad statements as they are (500 or their own status)', () => {
		for (const code of ['23505', '42P01', '22P02', '40001', 'ERR_HTTP_HEADERS_SENT']) expect(isUnavailableError(err({ code })), code).toBe(false);
		expect(isUnavailableError(new TypeError('x is undefined'))).toBe(false);
		expect(isUnavailableError(null)).toBe(false);
		expect(isUnavailableError('ECONNREFUSED')).toBe(false);
		const loop: Record<string, unknown> = { message: 'self' };
		loop.cause = loop;
		expect(isUnavailableError(loop)).toBe(false);
	});
});
