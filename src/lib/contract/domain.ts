// Vocabulary shared by the app, the server and integrations (CONTRACT.md). No I/O here.

export const ROLES = ['admin', 'ops', 'sales', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const EVENT_TYPES = ['receipt', 'shipment', 'adjustment', 'count', 'transfer', 'po'] as const;
export type InventoryEventType = (typeof EVENT_TYPES)[number];

export const COMMITMENT_STATUSES = ['requested', 'confirmed', 'shipped', 'cancelled'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export const RISKS = ['ok', 'at_risk', 'short', 'unknown'] as const;
export type Risk = (typeof RISKS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_KINDS = [
	'commitment_short',
	'stockout_projected',
	'below_safety_stock',
	'late_inbound',
	'below_reorder_point',
	'backorder_aging',
	'lifecycle_change',
	/** Extension: sales signals' forecast demand would take a SKU×site below safety stock within its lead time. */
	'forecast_below_safety_stock'
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const LIFECYCLE_STAGES = ['new', 'growth', 'mature', 'decline', 'end_of_life'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Calendar date `YYYY-MM-DD` in a site's time zone. */
export type IsoDate = string;

/** What every view of a SKU carries; admin, list and repository rows extend it. */
export interface SkuFields {
	code: string;
	name: string;
	unit: string;
	lifecycle: LifecycleStage;
	leadTimeDays: number | null;
	provisional: boolean;
}
