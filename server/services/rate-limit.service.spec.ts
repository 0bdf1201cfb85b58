import { describe, expect, it, vi } from 'vitest';
import { TooManyRequestsError } from './errors.ts';
import { RateLimits, signInDelaySeconds } from './rate-limit.service.ts';

// Without Redis the limits run in memory (worker processes, and this test); the rules are the same.
const limits = () =>
	new RateLimits(null, 'spec', { signInFreeAttempts: 3, signInMaxDelaySeconds: 60, signInPerAddress: 5, signInWindowSeconds: 60, ingestPerSecond: 2 });

describe('rate limits', () => {
	it('slows an account after its free attempts, from any address, whatever the case of the e-mail', async () => {
		const l = limits();
		await l.signInAttempt('a@x.test', '10.0.0.1');
		await l.signInAttempt('A@X.test', '10.0.0.2');
		await l.signInAttempt('a@x.test ', '10.0.0.3');
		// The 4th attempt is let through and starts a 1 s wait; the 5th, made at once, must wait.
		await l.signInAttempt('a@x.test', '10.0.0.4');
		const err = await l.signInAttempt('a@x.test', '10.0.0.5').catch((e: unknown) => e);
		expect(err).toBeInstanceOf(TooManyRequestsError);
		expect((err as TooManyRequestsError).retryAfterSeconds).toBe(1);
		await expect(l.signInAttempt('b@x.test', '10.0.0.4')).resolves.toBeUndefined();
	});

	it('lets the account in again once it waited, however often it was refused meanwhile', async () => {
		const l = limits();
		for (let i = 0; i < 4; i++) await l.signInAttempt('w@x.test', `10.0.2.${i}`);
		for (let i = 0; i < 20; i++) await expect(l.signInAttempt('w@x.test', '10.0.2.9')).rejects.toBeInstanceOf(TooManyRequestsError);
		// Refused attempts are not counted, so the wait stays 1 s (the 4th attempt's) and then ends.
		await vi.waitFor(() => expect(l.signInAttempt('w@x.test', '10.0.2.9')).resolves.toBeUndefined(), { timeout: 3000, interval: 100 });
	});

	it('doubles the delay past the free attempts up to a cap, never a lock-out', () => {
		const o = { signInFreeAttempts: 5, signInMaxDelaySeconds: 60 };
		expect([1, 5, 6, 7, 8, 9, 10, 11, 12, 100].map((n) => signInDelaySeconds(n, o))).toEqual([0, 0, 1, 2, 4, 8, 16, 32, 60, 60]);
	});

	it('stops an address after its attempts across accounts', async () => {
		const l = limits();
		for (let i = 0; i < 5; i++) await l.signInAttempt(`u${i}@x.test`, '10.0.0.9');
		const err = await l.signInAttempt('z@x.test', '10.0.0.9').catch((e: unknown) => e);
		expect(err).toBeInstanceOf(TooManyRequestsError);
		expect((err as TooManyRequestsError).retryAfterSeconds).toBeGreaterThan(0);
	});

	it('forgets an account after a success and gives the address its point back', async () => {
		const l = limits();
		for (let round = 0; round < 4; round++) {
			// Two per round: eight in all would have the account waiting long before the end without the reset.
			await l.signInAttempt('c@x.test', '10.0.1.1');
			await l.signInAttempt('c@x.test', '10.0.1.1');
			await l.signInSucceeded('c@x.test', '10.0.1.1');
		}
		await expect(l.signInAttempt('c@x.test', '10.0.1.1')).resolves.toBeUndefined();
	});

	it('limits ingestion per token, not across tokens', async () => {
		const l = limits();
		const feed = { kind: 'token', tokenId: 't1', name: 'feed', scope: 'ingest', board: null, sites: null } as const;
		await l.ingest(feed);
		await l.ingest(feed);
		await expect(l.ingest(feed)).rejects.toBeInstanceOf(TooManyRequestsError);
		await expect(l.ingest({ ...feed, tokenId: 't2' })).resolves.toBeUndefined();
		await expect(l.ingest({ kind: 'bootstrap-ingest' })).resolves.toBeUndefined();
	});
});
