import { describe, expect, it } from 'vitest';
import { IngestService, touchedPairs } from './ingest.service.ts';
import { BadRequestError, PayloadTooLargeError } from './errors.ts';

// parse and validate touch no dependency; store is covered by tests/integration/ingest.test.ts.
const svc = new IngestService(null as never);
const ev = { id: 'e1', type: 'receipt', sku: 'A', site: 'S', qty: 1, at: '2026-11-01T00:00:00Z' };

describe('IngestService.parse and validate', () => {
	it('takes one object, an array, or NDJSON with blank lines', () => {
		expect(svc.parse(JSON.stringify(ev), 'json')).toEqual([ev]);
		expect(svc.parse(JSON.stringify([ev, ev]), 'json')).toHaveLength(2);
		expect(svc.parse(`${JSON.stringify(ev)}\n\n${JSON.stringify(ev)}\n`, 'ndjson')).toHaveLength(2);
	});

	it('names the bad NDJSON line', () => {
		try {
			svc.parse(`${JSON.stringify(ev)}\n{oops`, 'ndjson');
			expect.unreachable();
		} catch (err) {
			expect(err).toBeInstanceOf(BadRequestError);
			expect((err as BadRequestError).details).toEqual([{ index: 1, path: '', message: 'line 2: not valid JSON' }]);
		}
	});

	it('refuses more than 10,000 events', () => {
		expect(() => svc.parse(JSON.stringify(Array(10_001).fill(ev)), 'json')).toThrow(PayloadTooLargeError);
	});

	it('reports every invalid field with its index, per event type', () => {
		try {
			svc.validate([
				ev,
				{ ...ev, type: 'po', qty: 5 },
				{ ...ev, type: 'transfer', qty: 2, toSite: 'S' },
				{ ...ev, type: 'adjustment', qty: 0, extra: true }
			]);
			expect.unreachable();
		} catch (err) {
			const details = (err as BadRequestError).details!.map((d) => `${d.index}:${d.path}`);
			// Index 3 has an unknown key (a strict object) and a zero adjustment.
			expect(details.sort()).toEqual(['1:po', '2:toSite', '3:', '3:qty']);
		}
	});
});

describe('touchedPairs', () => {
	it('covers both ends of a transfer, once each, in key order', () => {
		expect(
			touchedPairs([
				{ sku: 'B', site: 'X', toSite: null },
				{ sku: 'A', site: 'Y', toSite: 'X' },
				{ sku: 'A', site: 'X', toSite: null }
			])
		).toEqual([
			{ sku: 'A', site: 'X' },
			{ sku: 'A', site: 'Y' },
			{ sku: 'B', site: 'X' }
		]);
	});
});
