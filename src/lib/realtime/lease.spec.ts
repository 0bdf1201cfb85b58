import { describe, expect, it } from 'vitest';
import { SUBSCRIBE_MAX_SKUS } from '$lib/contract/socket-events';
import { Lease, positionsInterest, unionOf, type LeaseOwner } from './lease.ts';

const owner: LeaseOwner = { changed: () => {}, left: () => {} };

describe('unionOf', () => {
	it('joins the topics and the named sites and SKUs of every interest', () => {
		expect(
			unionOf([
				{ topics: ['position'], positions: { sites: ['A'], skus: ['X'] } },
				{ topics: ['position', 'alert'], positions: { sites: ['B'], skus: ['Y', 'X'] }, alerts: { sites: ['A'] } }
			])
		).toEqual({ topics: ['position', 'alert'], positions: { sites: ['A', 'B'], skus: ['X', 'Y'] }, alerts: { sites: ['A'] } });
	});

	it('takes all when any interest takes all, or the union passes the caps', () => {
		expect(unionOf([{ topics: ['alert'], alerts: { sites: ['A'] } }, { topics: ['alert'] }])).toEqual({ topics: ['alert'] });
		const many = Array.from({ length: SUBSCRIBE_MAX_SKUS }, (_, i) => `S${i}`);
		expect(unionOf([{ topics: ['position'], positions: { skus: many } }, { topics: ['position'], positions: { skus: ['extra'] } }])).toEqual({ topics: ['position'] });
		expect(unionOf([{ topics: [] }])).toEqual({ topics: [] });
	});

	it('follows the rows on screen of a stock table, and nothing when it is empty', () => {
		expect(positionsInterest([{ sku: 'X', site: 'A' }, { sku: 'Y', site: 'A' }])).toEqual({ topics: ['position'], positions: { sites: ['A'], skus: ['X', 'Y'] } });
		expect(positionsInterest([])).toEqual({ topics: [] });
	});
});

describe('Lease', () => {
	it('delivers what is newer than its own cursor, once, and moves the cursor on every topic', () => {
		const lease = new Lease(owner, { topics: ['position'] }, 10);
		const got: number[] = [];
		lease.onPosition((m) => got.push(m.seq));
		const pos = (seq: number) => ({ seq, sku: 'X', site: 'A', onHand: 1, allocated: 0, inbound: 0, available: 1 });
		expect(lease.offer('position', pos(9), true)).toBe(false);
		expect(lease.offer('position', pos(11), false)).toBe(true);
		expect(lease.offer('alert', { seq: 12 }, false)).toBe(true);
		expect(lease.offer('position', pos(12), false)).toBe(false);
		lease.caughtUp(20);
		expect(lease.offer('position', pos(15), true)).toBe(false);
		expect(got).toEqual([11]);
	});
});
