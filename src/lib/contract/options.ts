// Keeping a broken promise (CONTRACT wave 2): options per commitment, re-planning a SKU×site and the
// lanes between sites. Shapes shared by the routes, the board page and the admin page.
import { z } from 'zod';
import type { IsoDate, Risk } from './domain.ts';
import { isoDate } from './inventory-event.ts';

const code = z.string().trim().min(1).max(64);

/** A request sales leaves on a card for ops: one line of its notes, which the board shows as a mark. */
export const REQUEST_MARK = '⚑ requested:';
export const APPLIED_MARK = '✓ applied:';

export const OPTION_KINDS = ['later_date', 'other_site', 'split', 'reallocate', 'expedite'] as const;
export type OptionKind = (typeof OPTION_KINDS)[number];

export interface OptionEffectView {
	commitmentId: string;
	riskBefore: Risk;
	riskAfter: Risk;
	/** Extensions: the shortage and the promised date before and after, and whether it is worse off. */
	shortBefore: number;
	shortAfter: number;
	dateBefore: IsoDate | null;
	dateAfter: IsoDate | null;
	worse: boolean;
}

/** One option, best first in `OptionsResponse.options`. */
export interface PromiseOptionView {
	id: string;
	kind: OptionKind;
	summary: string;
	date: IsoDate;
	site: string;
	parts?: { qty: number; date: IsoDate; site: string; commitmentId: string; risk: Risk }[];
	takes?: { commitmentId: string; qty: number; riskAfter: Risk; promisedDate: IsoDate }[];
	po?: { po: string; neededEta: IsoDate };
	effects: OptionEffectView[];
	/** Extension: how many other commitments it makes worse. */
	worseCount: number;
}

/** `GET /api/commitments/:id/options`. */
export interface OptionsResponse {
	commitmentId: string;
	risk: Risk;
	options: PromiseOptionView[];
}

/** `POST /api/commitments/:id/options/:optionId/apply` → the commitments it changed or created. */
export const applyOptionSchema = z.object({ note: z.string().max(2000).optional() }).strict();

/** `POST /api/commitments/:id/options/:optionId/request` (extension): sales asks ops to apply one. */
export const requestOptionSchema = z.object({ note: z.string().max(2000).optional() }).strict();

export const replanQuerySchema = z.object({ sku: code, site: code });

export interface ReplanRowView {
	commitmentId: string;
	customer: string | null;
	qty: number;
	priority: number;
	status: 'requested' | 'confirmed' | 'shipped' | 'cancelled';
	promisedDate: IsoDate | null;
	risk: Risk;
	shortQty: number;
	/** After rows of confirmed dated commitments: false when no date covers it (it is placed last and stays short). */
	covered?: boolean;
}

/** `GET /api/replan?sku=&site=`: every open commitment, by priority then date, before and after. */
export interface ReplanResponse {
	sku: string;
	site: string;
	before: ReplanRowView[];
	after: ReplanRowView[];
}

/**
 * `POST /api/replan`: `expect` is the `after` the caller saw (only commitmentId and promisedDate
 * are compared), so what is applied is exactly what was shown, or 409.
 */
export const replanApplySchema = z
	.object({
		sku: code,
		site: code,
		expect: z.array(z.object({ commitmentId: z.string().min(1).max(128), promisedDate: isoDate.nullable() })).max(5000)
	})
	.strict();
export type ReplanApply = z.infer<typeof replanApplySchema>;

export interface Lane {
	fromSite: string;
	toSite: string;
	transitDays: number;
}

/** `PUT /api/admin/lanes/:from/:to` (extension). */
export const laneBodySchema = z.object({ transitDays: z.number().int().min(0).max(365) }).strict();
