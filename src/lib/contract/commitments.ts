import { z } from 'zod';
import { COMMITMENT_STATUSES, RISKS, type CommitmentStatus, type IsoDate, type Risk } from './domain.ts';
import { isoDate } from './inventory-event.ts';

const code = z.string().trim().min(1).max(64);
/** A board id is also its Yjs path (`/yjs/<id>`, BOARD_PATH in yjs.transport.ts) and its wall URL. */
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const boardIdSchema = z.string().regex(BOARD_ID_PATTERN, '1-64 letters, digits, _ or -');

/**
 * A commitment id (CONTRACT wave 2): a letter or digit, then up to 127 of letters, digits, . _ : -.
 * It names one commitment on one board: the key of the card in its board document, and the row.
 */
export const COMMITMENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const commitmentIdSchema = z.string().regex(COMMITMENT_ID_PATTERN, 'a letter or digit, then up to 127 letters, digits, . _ : or -');

const fields = {
	customer: z.string().trim().min(1).max(200),
	sku: code,
	qty: z.number().int().positive().max(100_000_000),
	requestedDate: isoDate,
	promisedDate: isoDate.nullable(),
	site: code.nullable(),
	status: z.enum(COMMITMENT_STATUSES),
	owner: z.string().trim().max(254).nullable(),
	priority: z.number().int().min(0).max(9),
	notes: z.string().max(20_000)
};

/** `POST /api/commitments` (CONTRACT.md). */
export const createCommitmentSchema = z
	.object({
		id: commitmentIdSchema.optional(),
		board: boardIdSchema.optional(),
		customer: fields.customer,
		sku: fields.sku,
		qty: fields.qty,
		requestedDate: fields.requestedDate,
		promisedDate: fields.promisedDate.optional(),
		site: fields.site.optional(),
		status: fields.status.optional(),
		owner: fields.owner.optional(),
		priority: fields.priority.optional(),
		notes: fields.notes.optional()
	})
	.strict();

/** `PATCH /api/commitments/:id`: the fields to change, at least one. */
export const patchCommitmentSchema = z
	.object(fields)
	.partial()
	.strict()
	.refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

export const listCommitmentsQuerySchema = z.object({
	board: boardIdSchema.optional(),
	sku: code.optional(),
	site: code.optional(),
	risk: z.enum(RISKS).optional(),
	status: z.enum(COMMITMENT_STATUSES).optional(),
	limit: z.coerce.number().int().min(1).max(5000).default(1000)
});

export type CreateCommitment = z.infer<typeof createCommitmentSchema>;
export type PatchCommitment = z.infer<typeof patchCommitmentSchema>;

export interface Commitment {
	id: string;
	board: string;
	customer: string;
	sku: string;
	qty: number;
	requestedDate: IsoDate;
	promisedDate: IsoDate | null;
	site: string | null;
	status: CommitmentStatus;
	owner: string | null;
	priority: number;
	notes: string;
}

export interface CommitmentWithRisk extends Commitment {
	risk: Risk;
	shortQty: number;
	earliestDate: IsoDate | null;
	checkedAt: string | null;
}

export const promiseCheckSchema = z
	.object({ sku: code, qty: fields.qty, date: isoDate, site: code.optional(), excludeCommitmentId: z.string().max(128).optional() })
	.strict();

export interface PromiseCheckResponse {
	feasible: boolean;
	site: string | null;
	earliestDate: IsoDate | null;
	shortQty: number;
	needsPo: boolean;
	options: { site: string; earliestDate: IsoDate | null; feasible: boolean; shortQty: number; needsPo: boolean }[];
}
