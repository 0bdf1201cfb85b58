import { describe, expect, it } from 'vitest';
import { TooManyRequestsError } from './errors.ts';
import { RateLimits } from './rate-limit.service.ts';

// Without Redis the limits run in memory (worker processes, and this test); the rules are the same.
const limits = () => new RateLimits(null, 'spec', { signInPerAccount: 3, signInPerAddress: 5, signInWindowSeconds: 60, ingestPerSecond: 2 });

describe('rate limits', () => {
	it('stops an account after its attempts, from any address, whatever the case of the e-mail', async () => {
		const l = limits();
		await l.signInAttempt('a@x.test', '10.0.0.1');
		await l.signInAttempt('A@X.test', '10.0.0.2');
		await l.signInAttempt('a@x.test ', '10.0.0.3');
		await expect(l.signInAttempt('a@x.test', '10.0.0.4')).rejects.toBeInstanceOf(TooManyRequestsError);
		await expect(l.signInAttempt('b@x.test', '10.0.0.4')).resolves.toBeUndefined();
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
