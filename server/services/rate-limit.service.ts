import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { principalLabel, type Principal } from '../../src/lib/policy/access.policy.ts';
import { TooManyRequestsError } from './errors.ts';

export interface RateLimitOptions {
	/** Sign-in attempts per account (e-mail) per window, from any address, before delays begin. */
	signInFreeAttempts: number;
	/** Longest delay an account is ever made to wait between attempts, in seconds. */
	signInMaxDelaySeconds: number;
	/** Sign-in attempts per client address per window, whatever the account. */
	signInPerAddress: number;
	signInWindowSeconds: number;
	/** Requests to POST /api/events per token (or session) per second. */
	ingestPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
	signInFreeAttempts: 5,
	signInMaxDelaySeconds: 60,
	signInPerAddress: 30,
	signInWindowSeconds: 15 * 60,
	ingestPerSecond: 50
};

/**
 * Seconds an account must wait after its `attempt`-th attempt in the window: none for the free ones,
 * then 1, 2, 4, … doubling up to the cap. Pure, so the schedule is tested on its own.
 */
export function signInDelaySeconds(attempt: number, o: Pick<RateLimitOptions, 'signInFreeAttempts' | 'signInMaxDelaySeconds'> = DEFAULT_RATE_LIMITS): number {
	if (attempt <= o.signInFreeAttempts) return 0;
	return Math.min(o.signInMaxDelaySeconds, 2 ** Math.min(30, attempt - o.signInFreeAttempts - 1));
}

/**
 * Limits shared by every node through Redis (under the node's REDIS_PREFIX). If Redis is away the
 * in-process insurance limiter takes over, so limits weaken to per-node rather than vanish, and a
 * sign-in never hangs waiting for Redis (the client given is a fail-fast one).
 *
 * Per account the limit is a progressive delay, never a lock-out: an attacker guessing one account
 * is slowed to one guess a minute, while its owner, told `Retry-After`, can always sign in after at
 * most `signInMaxDelaySeconds`. Per address it stays a cap (password spraying across accounts).
 */
export class RateLimits {
	private readonly accountAttempts: RateLimiterAbstract;
	private readonly accountWait: RateLimiterAbstract;
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
		// Counts only: never refuses by itself, the delay schedule does.
		this.accountAttempts = make('signin-account', Number.MAX_SAFE_INTEGER, options.signInWindowSeconds);
		// One point: blocked means "wait"; block() sets how long.
		this.accountWait = make('signin-account-wait', 1, options.signInMaxDelaySeconds);
		this.address = make('signin-address', options.signInPerAddress, options.signInWindowSeconds);
		this.ingestLimiter = make('ingest', options.ingestPerSecond, 1);
	}

	/**
	 * Counts a sign-in attempt before the password is checked, so parallel guesses are counted too, and
	 * starts the account's delay at once (a burst waits behind the first). An attempt made while the
	 * account must wait is refused with 429 and not counted: retrying does not push its owner further out.
	 * A success gives everything back (signInSucceeded).
	 */
	async signInAttempt(email: string, address: string | null): Promise<void> {
		const key = accountKey(email);
		const waiting = await this.accountWait.get(key).catch(() => null);
		if (waiting && waiting.consumedPoints > 1 && waiting.msBeforeNext > 0) {
			throw new TooManyRequestsError('too many sign-in attempts for this account; wait and try again', Math.max(1, Math.ceil(waiting.msBeforeNext / 1000)));
		}
		await take(this.address, address ?? 'unknown', 'too many sign-in attempts from this address');
		const counted = await this.accountAttempts.consume(key, 1).catch(() => null);
		const delay = counted ? signInDelaySeconds(counted.consumedPoints, this.options) : 0;
		if (delay > 0) await this.accountWait.block(key, delay).catch(() => null);
	}

	async signInSucceeded(email: string, address: string | null): Promise<void> {
		const key = accountKey(email);
		await Promise.all([
			this.accountAttempts.delete(key).catch(() => false),
			this.accountWait.delete(key).catch(() => false),
			this.address.reward(address ?? 'unknown', 1).catch(() => null)
		]);
	}

	/** An attempt that could not be judged (the database was away) gives its points back. */
	async signInAborted(email: string, address: string | null): Promise<void> {
		const key = accountKey(email);
		await Promise.all([
			this.accountAttempts.reward(key, 1).catch(() => null),
			this.accountWait.delete(key).catch(() => false),
			this.address.reward(address ?? 'unknown', 1).catch(() => null)
		]);
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
