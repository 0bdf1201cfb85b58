import { z } from 'zod';
import type { AlertKind, AlertStatus, Risk, Severity } from './domain.ts';

/** What happened to an alert in this message; rows written before it existed carry none. */
export const ALERT_CHANGES = ['opened', 'escalated', 'updated', 'acknowledged', 'resolved'] as const;
export type AlertChange = (typeof ALERT_CHANGES)[number];

export interface PositionMessage {
	sku: string;
	site: string;
	onHand: number;
	allocated: number;
	inbound: number;
	available: number;
	seq: number;
}

export interface AlertMessage {
	id: string;
	kind: AlertKind;
	severity: Severity;
	sku: string | null;
	site: string | null;
	commitmentId: string | null;
	message: string;
	status: AlertStatus;
	openedAt: string;
	acknowledgedBy: string | null;
	/** When it was acknowledged / resolved (ISO instants) — extensions of the contract. */
	acknowledgedAt: string | null;
	resolvedAt: string | null;
	/** Extension: lets clients toast what is new or escalated without remembering every alert. */
	change?: AlertChange;
	seq: number;
}

/** The engine's verdict on a commitment, whenever it changes (an extension of the contract). */
export interface CommitmentRiskMessage {
	id: string;
	board: string;
	sku: string;
	site: string | null;
	risk: Risk;
	shortQty: number;
	earliestDate: string | null;
	checkedAt: string;
	seq: number;
}

/** Server → client events: name → payload. Every emit on the server is checked against this map. */
export interface ServerToClientEvents {
	position: (msg: PositionMessage) => void;
	alert: (msg: AlertMessage) => void;
	commitment: (msg: CommitmentRiskMessage) => void;
	/** Why the server refused something the client did (a reverted board edit, a bad payload). */
	notice: (msg: { level: 'info' | 'warning' | 'error'; message: string }) => void;
	/** Sent to every socket every `every` ms: two missed beats tell a wall screen it is stale. */
	heartbeat: (msg: HeartbeatMessage) => void;
}

export interface HeartbeatMessage {
	/** Server time, epoch ms. */
	at: number;
	/** Interval between beats in ms. */
	every: number;
}

export const OUTBOX_TOPICS = ['position', 'alert', 'commitment'] as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[number];
export type OutboxPayload<T extends OutboxTopic> = Omit<Parameters<ServerToClientEvents[T]>[0], 'seq'>;

export const replayRequestSchema = z.object({ sinceSeq: z.number().int().min(0).safe() }).strict();
export const alertAckRequestSchema = z.object({ id: z.string().min(1).max(64) }).strict();
/** Most sites and SKUs one subscription may name (a stock page shows at most 500 rows). */
export const SUBSCRIBE_MAX_SITES = 100;
export const SUBSCRIBE_MAX_SKUS = 500;
const subscribeCode = z.string().min(1).max(128);
/**
 * Extension: a socket that needs only some topics (a wall needs no positions) says so, and gets only
 * those. A tab narrows further to what it shows: `positions` of these sites and/or SKUs (absent: every
 * position it may see), `alerts` of these sites. Sites outside the caller's are refused.
 */
export const subscribeRequestSchema = z
	.object({
		topics: z.array(z.enum(OUTBOX_TOPICS)).max(OUTBOX_TOPICS.length),
		positions: z
			.object({
				sites: z.array(subscribeCode).min(1).max(SUBSCRIBE_MAX_SITES).optional(),
				skus: z.array(subscribeCode).min(1).max(SUBSCRIBE_MAX_SKUS).optional()
			})
			.strict()
			.optional(),
		alerts: z.object({ sites: z.array(subscribeCode).min(1).max(SUBSCRIBE_MAX_SITES).optional() }).strict().optional()
	})
	.strict();
export type SubscribeRequest = z.infer<typeof subscribeRequestSchema>;
/** What a socket receives: its topics, and for positions and alerts the sites/SKUs it narrowed to (null: all). */
export interface Subscription {
	topics: OutboxTopic[];
	positions: { sites: string[] | null; skus: string[] | null };
	alerts: { sites: string[] | null };
}

export type Ack<T> = (answer: T) => void;
/**
 * `truncated`: rows after `sinceSeq` were already pruned from the outbox (the client was away longer
 * than the retention), so the replay is incomplete and the client must reload its snapshot.
 */
export type ReplayAnswer = { upTo: number; truncated?: boolean };
export type AckError = { error: string };

/** Client → server events. Payloads are unknown until the schema beside each one has parsed them. */
export interface ClientToServerEvents {
	replay: (req: z.input<typeof replayRequestSchema>, ack: Ack<ReplayAnswer | AckError>) => void;
	'alert:ack': (req: z.input<typeof alertAckRequestSchema>, ack?: Ack<{ ok: true } | AckError>) => void;
	/** Every topic until a socket subscribes; send it before `replay`, which then replays those topics only. */
	subscribe: (req: z.input<typeof subscribeRequestSchema>, ack?: Ack<(Pick<Subscription, 'topics'> & Partial<Subscription>) | AckError>) => void;
}
