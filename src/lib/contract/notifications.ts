// Notification preferences, shift handoff notes and the wall-screen snapshot (extensions of the
// contract, documented in the README). Shared by the server and the app; no I/O here.
import { z } from 'zod';
import { ALERT_KINDS, ALERT_STATUSES, SEVERITIES, type CommitmentStatus, type IsoDate, type Risk } from './domain.ts';
import { isoDate } from './inventory-event.ts';
import { boardIdSchema } from './commitments.ts';
import type { AlertMessage } from './socket-events.ts';

const code = z.string().trim().min(1).max(64);

/**
 * Which alerts a person wants as toasts, by the job they do: `ops` all stock and commitment alerts,
 * `sales` only those about promises made to customers, `all` everything.
 */
export const NOTIFY_ROLES = ['ops', 'sales', 'all'] as const;
export type NotifyRole = (typeof NOTIFY_ROLES)[number];

export const notificationPrefsSchema = z
	.object({
		enabled: z.boolean(),
		role: z.enum(NOTIFY_ROLES),
		/** Sites to be toasted about; empty means every site the user may see. */
		sites: z.array(code).max(200),
		minSeverity: z.enum(SEVERITIES)
	})
	.strict();
export type NotificationPrefs = z.infer<typeof notificationPrefsSchema>;

/** `GET /api/me/notifications`: the preferences and where the live feed should replay from. */
export interface NotificationState {
	prefs: NotificationPrefs;
	/** Outbox seq at the time of the answer: alerts after it arrive through `replay`. */
	sinceSeq: number;
	user: { email: string; role: string };
	/** Whether the toasts offer "Acknowledge" (the role may acknowledge alerts). */
	canAck: boolean;
}

/** `GET /api/alerts` filters (status is the contract's; the rest are extensions). */
export const alertListQuerySchema = z.object({
	status: z.enum(ALERT_STATUSES).optional(),
	severity: z.enum(SEVERITIES).optional(),
	kind: z.enum(ALERT_KINDS).optional(),
	site: code.optional(),
	limit: z.coerce.number().int().min(1).max(5000).default(500)
});
export type AlertListQuery = z.infer<typeof alertListQuerySchema>;

// Shifts -------------------------------------------------------------------------------------------
/** Three shifts a day in each site's own time zone: early 06–14, late 14–22, night 22–06. */
export const SHIFTS = ['early', 'late', 'night'] as const;
export type Shift = (typeof SHIFTS)[number];

export const handoffWriteSchema = z
	.object({
		body: z.string().trim().min(1, 'write something for the next shift').max(4000),
		/** Defaults to the shift running now at the site. */
		date: isoDate.optional(),
		shift: z.enum(SHIFTS).optional()
	})
	.strict()
	.refine((v) => (v.date === undefined) === (v.shift === undefined), 'give both date and shift, or neither');
export type HandoffWrite = z.infer<typeof handoffWriteSchema>;

export const handoffListQuerySchema = z.object({
	site: code.optional(),
	limit: z.coerce.number().int().min(1).max(500).default(50)
});

export interface HandoffNote {
	site: string;
	/** The shift's start date (a night shift belongs to the evening it starts). */
	date: IsoDate;
	shift: Shift;
	body: string;
	author: string;
	updatedAt: string;
}

// Wall screens -------------------------------------------------------------------------------------
export const wallParamsSchema = z.object({ boardId: boardIdSchema });

export type WallAlert = Omit<AlertMessage, 'seq' | 'change'>;

export interface WallCommitment {
	id: string;
	customer: string;
	sku: string;
	qty: number;
	site: string | null;
	/** The date it ships: promised, or requested while unconfirmed. */
	date: IsoDate | null;
	status: CommitmentStatus;
	risk: Risk;
	shortQty: number;
	earliestDate: IsoDate | null;
}

export interface WallKpis {
	/** Share of open commitment quantity due within 7 days that stock can cover by its date; null with none due. */
	fillRate: number | null;
	openCommitments: number;
	atRisk: number;
	short: number;
	/** SKU×sites with nothing on hand now, and with a stockout projected within lead time. */
	stockoutsNow: number;
	stockoutsProjected: number;
	lateInbound: number;
}

export interface WallSnapshot {
	board: string;
	generatedAt: string;
	/** Outbox seq the snapshot is consistent with: the live feed replays from here. */
	sinceSeq: number;
	/** Open and acknowledged alerts, most severe first. */
	alerts: WallAlert[];
	/** Open commitments that are at risk or short, soonest first. */
	commitments: WallCommitment[];
	/** Open commitments shipping today or tomorrow at their site (overdue ones count as today). */
	shipments: { today: WallCommitment[]; tomorrow: WallCommitment[] };
	kpis: WallKpis;
	/** The latest handoff note of each site. */
	handoff: HandoffNote[];
}
