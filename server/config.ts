import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';

const url = (protocols: string[]) =>
	z.string().refine((v) => {
		try {
			return protocols.includes(new URL(v).protocol);
		} catch {
			return false;
		}
	}, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

const TRUST_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Express `trust proxy`: true/false, a hop count, or comma-separated names, addresses and CIDR subnets. */
const trustProxy = z
	.string()
	.transform((v, ctx): boolean | number | string => {
		const s = v.trim();
		if (s === 'true' || s === 'false') return s === 'true';
		if (/^\d{1,3}$/.test(s)) return Number(s);
		const bad = s.split(',').map((p) => p.trim()).filter((p) => {
			if (TRUST_NAMES.has(p)) return false;
			const [addr, bits, extra] = p.split('/');
			const family = isIP(addr);
			if (!family || extra !== undefined) return true;
			return bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
		});
		if (bad.length) {
			ctx.addIssue({ code: 'custom', message: `must be true, false, a hop count, or loopback/linklocal/uniquelocal/addresses/CIDRs (bad: ${bad.join(', ')})` });
			return z.NEVER;
		}
		return s;
	});

const envSchema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().min(1).default('0.0.0.0'),
	DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/promiseboard'),
	REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
	REDIS_PREFIX: z
		.string()
		.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . -')
		.default('promiseboard'),
	INGEST_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
	DEMO: z.enum(['0', '1', '']).optional(),
	SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	/** Comma-separated origins allowed to make cookie-authenticated writes besides the node's own. */
	ALLOWED_ORIGINS: z.string().default(''),
	/** Jobs a worker process holds at once; their pairs are recomputed together in a few transactions. */
	WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
	/** A pair dirty longer than this is assumed to have lost its job and is re-enqueued by the sweep. */
	SWEEP_AFTER_SECONDS: z.coerce.number().min(0.1).max(3600).default(10),
	SWEEP_EVERY_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
	/** Run BullMQ workers in this process (`npm start`); `npm run worker` runs them alone. */
	WORKERS: z.enum(['0', '1']).default('1'),
	/** Outbox rows older than this are pruned (by worker processes); a client away longer reloads its data. */
	OUTBOX_RETENTION_HOURS: z.coerce.number().min(0.01).max(24 * 365).default(168),
	OUTBOX_PRUNE_EVERY_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
	/** Socket.IO `heartbeat` interval: wall screens call themselves stale after two missed beats. */
	HEARTBEAT_MS: z.coerce.number().int().min(200).max(300_000).default(10_000),
	/** Largest encoded board document a client edit may produce; past it edits are refused. */
	BOARD_MAX_BYTES: z.coerce.number().int().min(16 * 1024).max(512 * 1024 * 1024).default(8 * 1024 * 1024),
	/**
	 * Hosts a webhook may target although they resolve to loopback, link-local or this server's own
	 * addresses (comma-separated hostnames or IP literals, e.g. a receiver on the same machine).
	 */
	WEBHOOK_ALLOW_HOSTS: z
		.string()
		.regex(/^[A-Za-z0-9.:[\], -]*$/, 'must be comma-separated host names or IP addresses')
		.default(''),
	/** How long one webhook POST may take before it counts as failed. */
	WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
	/** Attempts per delivery (the first one included) before it is given up as failed. */
	WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
	/** First retry delay; each next one doubles, with jitter. */
	WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(2000),
	/** Consecutive failed attempts (across deliveries) that pause a hook until an admin resumes it. */
	WEBHOOK_PAUSE_AFTER: z.coerce.number().int().min(1).max(1000).default(20),
	/** Webhook POSTs a worker process makes at once (each hook gets at most 2 of them). */
	WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
	/** Express `trust proxy`: which peers may set X-Forwarded-For/-Proto (nodes behind a load balancer). */
	TRUST_PROXY: trustProxy.default('loopback')
});

/** Values never echoed in a configuration error (a log line must not leak them). */
const SECRETS = new Set(['SESSION_SECRET', 'INGEST_TOKEN']);
/** URLs echoed only without their password; one that does not even parse is not echoed at all. */
const URLS_WITH_PASSWORDS = new Set(['DATABASE_URL', 'REDIS_URL']);

function shown(name: string, value: string | undefined): string {
	if (value === undefined) return '';
	if (SECRETS.has(name)) return '=<hidden>';
	if (URLS_WITH_PASSWORDS.has(name)) {
		try {
			const u = new URL(value);
			if (!u.password) return `=${JSON.stringify(value)}`;
			u.password = '***';
			return `=${JSON.stringify(u.toString())}`;
		} catch {
			return '=<hidden: not a URL>';
		}
	}
	return `=${JSON.stringify(value)}`;
}

export interface Config {
	port: number;
	host: string;
	databaseUrl: string;
	redisUrl: string;
	redisPrefix: string;
	ingestToken: string | undefined;
	demo: boolean;
	sessionSecret: string;
	logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
	allowedOrigins: string[];
	workerConcurrency: number;
	sweepAfterSeconds: number;
	sweepEveryMs: number;
	workers: boolean;
	outboxRetentionHours: number;
	outboxPruneEveryMs: number;
	heartbeatMs: number;
	boardMaxBytes: number;
	trustProxy: boolean | number | string;
	webhooks: WebhookConfig;
}

export interface WebhookConfig {
	allowHosts: string[];
	timeoutMs: number;
	maxAttempts: number;
	backoffMs: number;
	pauseAfter: number;
	concurrency: number;
}

export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`Invalid configuration: ${problems.join('; ')}`);
		this.name = 'ConfigError';
	}
}

/** Parses the whole environment once; every bad variable is reported together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const known = Object.keys(envSchema.shape);
	const picked = Object.fromEntries(
		known.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]])
	);
	const parsed = envSchema.safeParse(picked);
	if (!parsed.success) {
		throw new ConfigError(
			parsed.error.issues.map((i) => {
				const name = String(i.path[0]);
				return `${name}${shown(name, picked[name] as string | undefined)}: ${i.message}`;
			})
		);
	}
	const e = parsed.data;
	return {
		port: e.PORT,
		host: e.HOST,
		databaseUrl: e.DATABASE_URL,
		redisUrl: e.REDIS_URL,
		redisPrefix: e.REDIS_PREFIX,
		ingestToken: e.INGEST_TOKEN,
		demo: e.DEMO === '1',
		sessionSecret: e.SESSION_SECRET ?? randomBytes(32).toString('hex'),
		logLevel: e.LOG_LEVEL,
		allowedOrigins: e.ALLOWED_ORIGINS.split(',')
			.map((s) => s.trim())
			.filter(Boolean),
		workerConcurrency: e.WORKER_CONCURRENCY,
		sweepAfterSeconds: e.SWEEP_AFTER_SECONDS,
		sweepEveryMs: e.SWEEP_EVERY_MS,
		workers: e.WORKERS === '1',
		outboxRetentionHours: e.OUTBOX_RETENTION_HOURS,
		outboxPruneEveryMs: e.OUTBOX_PRUNE_EVERY_MS,
		heartbeatMs: e.HEARTBEAT_MS,
		boardMaxBytes: e.BOARD_MAX_BYTES,
		webhooks: {
			allowHosts: e.WEBHOOK_ALLOW_HOSTS.split(',')
				.map((h) => h.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1'))
				.filter(Boolean),
			timeoutMs: e.WEBHOOK_TIMEOUT_MS,
			maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
			backoffMs: e.WEBHOOK_BACKOFF_MS,
			pauseAfter: e.WEBHOOK_PAUSE_AFTER,
			concurrency: e.WEBHOOK_CONCURRENCY
		},
		trustProxy: e.TRUST_PROXY
	};
}
