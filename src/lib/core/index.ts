// Public API of the pure availability core: no I/O, "today" is always a parameter.
export { addDays, compareDates, diffDays, isIsoDate, localDate, maxDate, minDate } from './dates.js';
export { foldLedger, orderEvents } from './ledger.js';
export type { InboundLine, LedgerEvent, LedgerState } from './ledger.js';
export type { AvailabilityInput, CommitmentDemand, CommitmentRisk, DateBalance, DateQty, ForecastDemand, InboundSupply } from './types.js';
export { FORECAST_HORIZON_DAYS, forecastProjection, forecastSeries, signalForecast, signalLabel } from './forecast.js';
export type { ForecastProjection, SignalSpec } from './forecast.js';
export { buildProfile, fenceDate, shipDate } from './profile.js';
export type { Profile } from './profile.js';
export { atpFromProfile, computeAtp, valueOn } from './atp.js';
export type { AtpResult } from './atp.js';
export { promiseCheck, promiseOnProfile, promiseOptions } from './promise.js';
export type { PromiseRequest, PromiseResult, SiteOption } from './promise.js';
export { commitmentRisks, riskOnProfile, risksOnProfile } from './risk.js';
export {
	evaluateAlerts,
	formatQty,
	lifecycleChangeAlert,
	reconcileAlerts,
	severityRank,
	SKU_SITE_ALERT_KINDS
} from './alert-rules.js';
export type {
	AlertOptions,
	AlertReconciliation,
	AlertSnapshot,
	AlertUpdate,
	DesiredAlert,
	OpenAlert,
	ReconcileOptions
} from './alert-rules.js';
export { commitmentSubject, inboundSubject, pairSubject, skuSubject } from './alert-types.js';
