import { RateLimiterMemory } from 'rate-limiter-flexible';

export interface BudgetOptions {
	/** Bytes one connection may send per window (default 8 MiB per 10 s). */
	bytes?: number;
	/** Messages one connection may send per window (default 1,000 per 10 s). */
	messages?: number;
	windowSeconds?: number;
}

/**
 * The traffic a board connection may send: bursts up to the window's budget pass (a reconnecting
 * client's sync, fast typing), a client that keeps sending past it is closed. Keyed per connection.
 */
export class ConnectionBudget {
	private readonly bytes: RateLimiterMemory;
	private readonly messages: RateLimiterMemory;

	constructor(opts: BudgetOptions = {}) {
		const duration = opts.windowSeconds ?? 10;
		this.bytes = new RateLimiterMemory({ points: opts.bytes ?? 8 * 1024 * 1024, duration });
		this.messages = new RateLimiterMemory({ points: opts.messages ?? 1000, duration });
	}

	/** Charges one message of `size` bytes; false once the connection is over either budget. */
	async spend(connectionId: string, size: number): Promise<boolean> {
		try {
			await Promise.all([this.bytes.consume(connectionId, size), this.messages.consume(connectionId, 1)]);
			return true;
		} catch (err) {
			if (err instanceof Error) throw err;
			return false;
		}
	}
}
