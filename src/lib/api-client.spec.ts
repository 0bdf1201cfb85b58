import { describe, expect, it } from 'vitest';
import { failureOf, requestOf } from './api-client.ts';

describe('requestOf', () => {
	it('fills and encodes each parameter and appends the query', () => {
		expect(requestOf('PUT /api/admin/skus/:code/sites/:site', { code: 'A/B 1', site: 'WEST' })).toEqual({ method: 'PUT', url: '/api/admin/skus/A%2FB%201/sites/WEST' });
		expect(requestOf('GET /api/replan', {}, { sku: 'K&1', site: 'A' })).toEqual({ method: 'GET', url: '/api/replan?sku=K%261&site=A' });
	});

	it('refuses a route whose parameter is missing rather than calling a wrong URL', () => {
		expect(() => requestOf('DELETE /api/admin/tokens/:id')).toThrow(/no value for :id/);
	});
});

describe('failureOf', () => {
	it('keeps the server sentence and each named field, and names the status', () => {
		const f = failureOf(400, { error: 'invalid body', errors: [{ path: 'qty', message: 'must be positive' }, { path: '', message: 'one more' }] });
		expect({ status: f.status, code: f.code, message: f.message, details: f.details }).toEqual({ status: 400, code: 'invalid', message: 'invalid body', details: ['qty: must be positive', 'one more'] });
	});

	it('says so when nothing answered, and when the answer was not ours', () => {
		expect(failureOf(0, null)).toMatchObject({ code: 'unreachable', message: 'The server did not answer. Try again.' });
		expect(failureOf(502, null)).toMatchObject({ code: 'server_error', message: 'Refused (502)' });
		expect(failureOf(429, { error: 'slow down' })).toMatchObject({ code: 'rate_limited', message: 'slow down' });
	});
});
