import { z } from 'zod';
import type { AlertKind, AlertStatus, Risk, Severity } from './domain';

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
}

export type OutboxTopic = 'position' | 'alert' | 'commitment';
export type OutboxPayload<T extends OutboxTopic> = Omit<Parameters<ServerToClientEvents[T]>[0], 'seq'>;

export const replayRequestSchema = z.object({ sinceSeq: z.number().int().min(0).safe() }).strict();
export const alertAckRequestSchema = z.object({ id: z.string().min(1).max(64) }).strict();

export type Ack<T> = (answer: T) => void;
export type AckError = { error: string };

/** Client → server events. Payloads are unknown until the schema beside each one has parsed them. */
export interface ClientToServerEvents {
	replay: (req: z.input<typeof replayRequestSchema>, ack: Ack<{ upTo: number } | AckError>) => void;
	'alert:ack': (req: z.input<typeof alertAckRequestSchema>, ack?: Ack<{ ok: true } | AckError>) => void;
}
