// Demand signals, lifecycle changes, the SKU views, KPIs and the activity feed (extensions of the
// contract, documented in the README). Shared by the server and the app; no I/O here.
import { z } from 'zod';
import { LIFECYCLE_STAGES, RISKS, type IsoDate, type LifecycleStage, type Risk, type SkuFields } from './domain.ts';
import { isoDate } from './inventory-event.ts';

const code = z.string().trim().min(1).max(64);

// Signals --------------------------------------------------------------------------------------------
/**
 * `volume`: a customer or market will take about `qty` per `per` from `startDate` (until `endDate`);
 * `promotion`: `qty` extra units spread over [startDate, endDate]; `fading`: demand is going away —
 * said for ops to see, it adds no forecast quantity.
 */
export const SIGNAL_KINDS = ['volume', 'promotion', 'fading'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
export const SIGNAL_PERIODS = ['week', 'month', 'total'] as const;
export type SignalPeriod = (typeof SIGNAL_PERIODS)[number];

const signalFields = {
	kind: z.enum(SIGNAL_KINDS),
	customer: z.string().trim().max(200).nullable().optional(),
	qty: z.number().int().min(1).max(1_000_000_000).nullable().optional(),
	per: z.enum(SIGNAL_PERIODS).nullable().optional(),
	startDate: isoDate,
	endDate: isoDate.nullable().optional(),
	note: z.string().trim().max(2000).optional()
};

type SignalShape = { kind: SignalKind; qty?: number | null; per?: SignalPeriod | null; startDate: string; endDate?: string | null };

/** The rules that tie the fields of a signal together, named per field so a form can show them. */
export function signalIssues(s: SignalShape): { path: string; message: string }[] {
	const out: { path: string; message: string }[] = [];
	if (s.endDate && s.endDate < s.startDate) out.push({ path: 'endDate', message: 'must not be before the start date' });
	if (s.kind === 'fading') {
		if (s.qty != null) out.push({ path: 'qty', message: 'a fading signal carries no quantity' });
		return out;
	}
	if (s.qty == null) out.push({ path: 'qty', message: `is required for a ${s.kind} signal` });
	if (s.kind === 'volume' && s.per == null) out.push({ path: 'per', message: 'is required for a volume signal (week, month or total)' });
	if (s.kind === 'promotion' && s.per != null && s.per !== 'total') out.push({ path: 'per', message: 'a promotion uplift is a total over its dates' });
	const needsEnd = s.kind === 'promotion' || s.per === 'total';
	if (needsEnd && !s.endDate) out.push({ path: 'endDate', message: `is required for ${s.kind === 'promotion' ? 'a promotion' : 'a total quantity'}` });
	return out;
}

function refineSignal(s: SignalShape, ctx: z.RefinementCtx) {
	for (const i of signalIssues(s)) ctx.addIssue({ code: 'custom', path: [i.path], message: i.message });
}

export const createSignalSchema = z
	.object({ sku: code, site: code, ...signalFields })
	.strict()
	.superRefine(refineSignal);
export type CreateSignal = z.infer<typeof createSignalSchema>;

/** `PATCH /api/signals/:id`: the whole editable part again (sku and site stay). */
export const updateSignalSchema = z.object(signalFields).strict().superRefine(refineSignal);
export type UpdateSignal = z.infer<typeof updateSignalSchema>;

export const listSignalsQuerySchema = z.object({
	sku: code.optional(),
	site: code.optional(),
	/** Withdrawn and ended signals too. */
	all: z.enum(['0', '1']).optional(),
	limit: z.coerce.number().int().min(1).max(5000).default(500)
});

export interface DemandSignal {
	id: string;
	sku: string;
	site: string;
	kind: SignalKind;
	customer: string | null;
	qty: number | null;
	per: SignalPeriod | null;
	startDate: IsoDate;
	endDate: IsoDate | null;
	note: string;
	createdBy: string;
	createdAt: string;
	updatedAt: string;
	withdrawnAt: string | null;
	withdrawnBy: string | null;
}

// Lifecycle ------------------------------------------------------------------------------------------
export const lifecycleChangeSchema = z
	.object({ stage: z.enum(LIFECYCLE_STAGES), reason: z.string().trim().min(3, 'say why (3 characters or more)').max(1000) })
	.strict();
export type LifecycleChange = z.infer<typeof lifecycleChangeSchema>;

export interface LifecycleEntry {
	sku: string;
	from: LifecycleStage;
	to: LifecycleStage;
	reason: string;
	actor: string;
	at: string;
}

// SKU list and detail --------------------------------------------------------------------------------
export const SKU_SORTS = ['code', 'name', 'lifecycle', 'leadTime'] as const;
export type SkuSort = (typeof SKU_SORTS)[number];

export const skuListQuerySchema = z.object({
	q: z.string().trim().max(100).optional(),
	site: code.optional(),
	lifecycle: z.enum(LIFECYCLE_STAGES).optional(),
	/** SKUs with an open commitment of this risk. */
	risk: z.enum(RISKS).optional(),
	sort: z.enum(SKU_SORTS).default('code'),
	dir: z.enum(['asc', 'desc']).default('asc'),
	limit: z.coerce.number().int().min(1).max(500).default(50),
	offset: z.coerce.number().int().min(0).max(1_000_000).default(0)
});
export type SkuListQuery = z.infer<typeof skuListQuerySchema>;

export interface SkuListItem extends SkuFields {
	/** Summed over the sites the reader sees. */
	onHand: number;
	inbound: number;
	available: number;
	sites: number;
	/** Worst risk of its open commitments; null with none. */
	risk: Risk | null;
}

export interface InboundLineView {
	key: string;
	kind: 'po' | 'transfer';
	qty: number;
	eta: IsoDate | null;
	previousEta: IsoDate | null;
	/** The ETA is before today at the site. */
	late: boolean;
}

export interface SkuSiteView {
	site: string;
	siteName: string;
	today: IsoDate;
	fence: IsoDate | null;
	onHand: number;
	allocated: number;
	inbound: number;
	backordered: number;
	/** When the oldest unfilled backorder started, and its age in days at the site. */
	backorderSince: string | null;
	backorderAgeDays: number | null;
	available: number;
	safetyStock: number;
	reorderPoint: number | null;
	inboundLines: InboundLineView[];
	atp: { date: IsoDate; qty: number }[];
	projected: { date: IsoDate; balance: number }[];
	/** Cumulative forecast demand from active signals, and P(t) minus it. */
	forecast: { date: IsoDate; qty: number }[];
	forecastProjected: { date: IsoDate; balance: number }[];
}

export interface SkuDetail {
	sku: { code: string; name: string; unit: string; lifecycle: LifecycleStage; leadTimeDays: number | null; provisional: boolean };
	sites: SkuSiteView[];
	signals: DemandSignal[];
	lifecycle: LifecycleEntry[];
}

// KPIs -----------------------------------------------------------------------------------------------
export const kpiQuerySchema = z.object({
	site: code.optional(),
	days: z.coerce.number().int().min(2).max(365).default(30)
});

/** One day's figures; ratios are 0–1, null when there was nothing to measure. */
export interface KpiPoint {
	day: IsoDate;
	fillRate: number | null;
	otif: number | null;
	shipped: number;
	atRisk: number;
	short: number;
	stockouts: number;
	lateInbound: number;
	/** Oldest unfilled backorder, in days; null with none. */
	backorderAgeDays: number | null;
}

export interface KpiOverview {
	scope: string;
	current: KpiPoint;
	history: KpiPoint[];
}

// Activity -------------------------------------------------------------------------------------------
export const activityQuerySchema = z
	.object({
		sku: code.optional(),
		site: code.optional(),
		/** Entries older than this instant (paging backwards). */
		before: z.iso.datetime({ offset: true }).optional(),
		limit: z.coerce.number().int().min(1).max(500).default(100)
	})
	.refine((q) => q.sku !== undefined || q.site !== undefined, 'give sku or site');
export type ActivityQuery = z.infer<typeof activityQuerySchema>;

export const ACTIVITY_SOURCES = ['event', 'commitment', 'alert', 'signal', 'lifecycle', 'import', 'option'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

export interface ActivityEntry {
	at: string;
	source: ActivitySource;
	actor: string | null;
	sku: string | null;
	site: string | null;
	summary: string;
}
