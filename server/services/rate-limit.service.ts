import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { principalLabel, type Principal } from '../../src/lib/policy/access.policy.ts';
import { TooManyRequestsError } from './errors.ts';

export interface RateLimitOptions {
	/** Sign-in attempts per account (e-mail) per window, from any address. */
	signInPerAccount: number;
	/** Sign-in attempts per client address per window, whatever the account. */
	signInPerAddress: number;
	signInWindowSeconds: number;
	/** Requests to POST /api/events per token (or session) per second. */
	ingestPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
	signInPerAccount: 10,
	signInPerAddress: 30,
	signInWindowSeconds: 15 * 60,
	ingestPerSecond: 50
};

/**
 * Limits shared by every node through Redis (under the node's REDIS_PREFIX). If Redis is away the
 * in-process insurance limiter takes over, so limits weaken to per-node rather than vanish, and a
 * sign-in never hangs waiting for Redis.
 */
export class RateLimits {
	private readonly account: RateLimiterAbstract;
	private readonly address: RateLimiterAbstract;
	private readonly ingestLimiter: RateLimiterAbstract;

	constructor(redis: Redis | null, prefix: string, readonly options: RateLimitOptions = DEFAULT_RATE_LIMITS) {
		const make = (name: string, points: number, duration: number) => {
			const memory = new RateLimiterMemory({ keyPrefix: `${prefix}:rl:${name}`, points, duration });
			if (!redis) return memory;
			return new RateLimiterRedis({
				storeClient: redis,
				keyPrefix: `${prefix}:rl:${name}`,
				points,
				duration,
				rejectIfRedisNotReady: true,
				insuranceLimiter: memory
			});
		};
		this.account = make('signin-account', options.signInPerAccount, options.signInWindowSeconds);
		this.address = make('signin-address', options.signInPerAddress, options.signInWindowSeconds);
		this.ingestLimiter = make('ingest', options.ingestPerSecond, 1);
	}

	/**
	 * Counts a sign-in attempt before the password is checked, so parallel guesses are counted too;
	 * a success gives the points back (signInSucceeded). Throws 429 once either limit is spent.
	 */
	async signInAttempt(email: string, address: string | null): Promise<void> {
		await Promise.all([
			take(this.account, accountKey(email), 'too many sign-in attempts for this account'),
			take(this.address, address ?? 'unknown', 'too many sign-in attempts from this address')
		]);
	}

	async signInSucceeded(email: string, address: string | null): Promise<void> {
		await Promise.all([
			this.account.delete(accountKey(email)).catch(() => false),
			this.address.reward(address ?? 'unknown', 1).catch(() => null)
		]);
	}

	/** An attempt that could not be judged (the database was away) gives its points back. */
	async signInAborted(email: string, address: string | null): Promise<void> {
		await Promise.all([this.account.reward(accountKey(email), 1).catch(() => null), this.address.reward(address ?? 'unknown', 1).catch(() => null)]);
	}

	/** One request to POST /api/events by this principal. */
	async ingest(p: Principal): Promise<void> {
		await take(this.ingestLimiter, keyOf(p), 'too many ingest requests for this token; slow down');
	}
}

async function take(limiter: RateLimiterAbstract, key: string, message: string): Promise<void> {
	try {
		await limiter.consume(key, 1);
	} catch (res) {
		if (res instanceof RateLimiterRes) throw new TooManyRequestsError(message, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
		throw res;
	}
}

// Redis holds a hash, not the e-mail: a key dump does not list who is being attacked.
function accountKey(email: string): string {
	return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}

function keyOf(p: Principal): string {
	if (p.kind === 'token') return `token:${p.tokenId}`;
	if (p.kind === 'user') return `user:${p.userId}`;
	return principalLabel(p);
}
