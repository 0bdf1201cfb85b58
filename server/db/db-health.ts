import postgres from 'postgres';
import type { Logger } from '../logger.ts';

export interface DatabaseHealthOptions {
	/** How often the probe runs while the last one has answered. */
	everyMs?: number;
	/** A probe unanswered this long means the server hangs (SIGSTOP, a full disk, a dead link). */
	stallMs?: number;
	/** A probe unanswered this long is abandoned with its connection, and a fresh one is tried. */
	abandonMs?: number;
}

/**
 * Knows, within about a second, whether Postgres answers. A stopped server refuses connections at
 * once, so queries fail fast by themselves; a hung one accepts and never answers, and only a probe
 * that measures its own wait can tell "slow query" from "no server". The request deadline asks
 * this before it gives up on a request, so legitimately slow requests still finish.
 */
export class DatabaseHealth {
	private sql: ReturnType<typeof postgres>;
	private timer: NodeJS.Timeout | undefined;
	private probeStartedAt: number | null = null;
	private lastError: string | null = null;
	private stopped = false;
	private readonly everyMs: number;
	private readonly stallMs: number;
	private readonly abandonMs: number;

	constructor(
		private readonly url: string,
		private readonly log: Logger,
		opts: DatabaseHealthOptions = {}
	) {
		this.everyMs = opts.everyMs ?? 500;
		this.stallMs = opts.stallMs ?? 1000;
		this.abandonMs = opts.abandonMs ?? 5000;
		this.sql = this.client();
	}

	private client() {
		return postgres(this.url, { max: 1, connect_timeout: 2, idle_timeout: 0, onnotice: () => {}, connection: { application_name: 'promiseboard-health' } });
	}

	start(): void {
		this.stopped = false;
		this.schedule(0);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearTimeout(this.timer);
		await this.sql.end({ timeout: 0 }).catch(() => {});
	}

	/** Why Postgres counts as away right now, or null while it answers. */
	problem(now = Date.now()): string | null {
		if (this.probeStartedAt !== null && now - this.probeStartedAt >= this.stallMs) {
			return `no answer for ${now - this.probeStartedAt} ms`;
		}
		return this.lastError;
	}

	get down(): boolean {
		return this.problem() !== null;
	}

	private schedule(ms: number): void {
		if (this.stopped) return;
		this.timer = setTimeout(() => void this.probe(), ms);
		this.timer.unref();
	}

	private async probe(): Promise<void> {
		this.probeStartedAt = Date.now();
		// A hung server never answers: abandon the connection so the next probe can see it come back.
		const abandon = setTimeout(() => {
			const old = this.sql;
			this.sql = this.client();
			void old.end({ timeout: 0 }).catch(() => {});
		}, this.abandonMs);
		abandon.unref();
		try {
			await this.sql`select 1`;
			if (this.lastError) this.log.info('postgres answers again');
			this.lastError = null;
		} catch (err) {
			const message = (err as Error).message || String(err);
			if (!this.lastError) this.log.warn({ err: message }, 'postgres is away');
			this.lastError = message;
		} finally {
			clearTimeout(abandon);
			this.probeStartedAt = null;
			this.schedule(this.everyMs);
		}
	}
}
