// Which stock alerts the state of one SKU×site calls for (DESIGN.md "Alert kinds and severity").
// The rules only describe the desired set; reconcileAlerts decides what opens, changes or resolves.
import type { AlertKind, IsoDate, LifecycleStage } from '../contract/domain.ts';
import { ALERT_KINDS } from '../contract/domain.ts';
import { commitmentSubject, inboundSubject, pairSubject, skuSubject, type DesiredAlert } from './alert-types.ts';
import { diffDays, isIsoDate, localDate } from './dates.ts';
import { forecastProjection } from './forecast.ts';
import { buildProfile, shipDate, type Profile } from './profile.ts';
import { risksOnProfile } from './risk.ts';
import type { AvailabilityInput, CommitmentRisk, InboundSupply } from './types.ts';

export type { DesiredAlert } from './alert-types.ts';
export { reconcileAlerts, severityRank } from './alert-reconcile.ts';
export type { AlertReconciliation, AlertUpdate, OpenAlert, ReconcileOptions } from './alert-reconcile.ts';

/** The kinds evaluateAlerts owns for a SKU×site (lifecycle_change is per SKU and raised elsewhere). */
export const SKU_SITE_ALERT_KINDS: readonly AlertKind[] = ALERT_KINDS.filter((k) => k !== 'lifecycle_change');

export interface AlertSnapshot extends Omit<AvailabilityInput, 'today'> {
	sku: string;
	site: string;
	reorderPoint?: number | null;
	/** From the ledger: when the oldest unfilled backorder started (an instant). */
	backorderSince?: string | null;
}

export interface AlertOptions {
	/** backorder_aging fires when a backorder is more than this many days old. Default 7. */
	backorderAgeDays?: number;
	/** The site's zone, to turn backorderSince into a local date. Default UTC. */
	timeZone?: string;
}

/** Negative numbers with a real minus sign, as people read them on a wall screen. */
export function formatQty(n: number): string {
	return n < 0 ? `\u2212${-n}` : `${n}`;
}

const KIND_ORDER = new Map(ALERT_KINDS.map((k, i) => [k, i] as const));

export function evaluateAlerts(s: AlertSnapshot, today: IsoDate, options: AlertOptions = {}): DesiredAlert[] {
	const p = buildProfile({ ...s, today });
	const risks = risksOnProfile(p, s.commitments);
	const out: DesiredAlert[] = [
		...shortCommitments(s, p, risks),
		...projectionAlerts(s, p),
		...forecastAlert(s, p),
		...lateInbound(s, p, risks),
		...reorderPoint(s, p),
		...backorderAging(s, today, options)
	];
	return out.sort(
		(a, b) => KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! || (a.subjectKey < b.subjectKey ? -1 : a.subjectKey > b.subjectKey ? 1 : 0)
	);
}

function pairAlert(s: AlertSnapshot, kind: AlertKind, severity: DesiredAlert['severity'], message: string): DesiredAlert {
	return { kind, severity, subjectKey: pairSubject(s.sku, s.site), sku: s.sku, site: s.site, commitmentId: null, message };
}

function shortCommitments(s: AlertSnapshot, p: Profile, risks: Map<string, CommitmentRisk>): DesiredAlert[] {
	const out: DesiredAlert[] = [];
	for (const c of s.commitments) {
		const r = risks.get(c.id);
		if (!r || r.risk !== 'short') continue;
		const who = c.customer ? ` (${c.customer})` : '';
		const when =
			r.earliestDate === null
				? 'no date covers it'
				: `earliest ${r.earliestDate}${r.earliestDate === p.fence ? ' with a new PO' : ''}`;
		out.push({
			kind: 'commitment_short',
			severity: 'critical',
			subjectKey: commitmentSubject(c.id),
			sku: s.sku,
			site: s.site,
			commitmentId: c.id,
			message: `Commitment ${c.id}${who}: ${s.sku} @ ${s.site} short by ${r.shortQty} for ${shipDate(c)}; ${when}`
		});
	}
	return out;
}

/**
 * "Within the lead time" is [today, today + lead time], fence day included; with no known lead
 * time the whole known horizon is watched, since an unknown SKU's stockout is still a stockout.
 */
function projectionAlerts(s: AlertSnapshot, p: Profile): DesiredAlert[] {
	const last = p.fence === null ? p.dates.length - 1 : p.fenceIndex;
	const firstBelow = (limit: number) => {
		for (let i = 0; i <= last; i++) if (p.balance[i] < limit) return i;
		return -1;
	};
	const out = firstBelow(0);
	if (out >= 0)
		return [
			pairAlert(s, 'stockout_projected', 'high', `${s.sku} @ ${s.site}: projected stockout on ${p.dates[out]} (${formatQty(p.balance[out])})`)
		];
	// A projected stockout already says everything a safety-stock warning would.
	if (p.safetyStock <= 0) return [];
	const low = firstBelow(p.safetyStock);
	if (low < 0) return [];
	return [
		pairAlert(
			s,
			'below_safety_stock',
			'medium',
			`${s.sku} @ ${s.site}: projected ${formatQty(p.balance[low])} on ${p.dates[low]}, below safety stock ${p.safetyStock}`
		)
	];
}

/**
 * forecast_below_safety_stock: firm demand keeps P(t) at or above safety stock within the lead time,
 * but counting the sales signals' forecast takes it below (below zero with no safety stock). The
 * message names the signals due by then, so ops knows whom to ask. Firm alerts take precedence.
 */
function forecastAlert(s: AlertSnapshot, p: Profile): DesiredAlert[] {
	if (!s.countForecast || !s.forecast?.length) return [];
	const limit = Math.max(0, p.safetyStock);
	const firmLast = p.fence === null ? p.dates.length - 1 : p.fenceIndex;
	for (let i = 0; i <= firmLast; i++) if (p.balance[i] < limit) return [];
	const fp = forecastProjection(p, s.forecast);
	const last = p.fence === null ? fp.dates.length - 1 : fp.fenceIndex;
	let low = -1;
	for (let i = 0; i <= last; i++) {
		if (fp.balance[i] < limit) {
			low = i;
			break;
		}
	}
	if (low < 0) return [];
	const date = fp.dates[low];
	const names = [...new Set(s.forecast.filter((f) => f.date <= date && f.qty > 0).map((f) => f.signal ?? 'a demand signal'))].sort();
	const shown = names.length > 3 ? `${names.slice(0, 3).join('; ')} and ${names.length - 3} more` : names.join('; ');
	const below = limit > 0 ? `below safety stock ${limit}` : 'a stockout';
	return [
		pairAlert(
			s,
			'forecast_below_safety_stock',
			'medium',
			`${s.sku} @ ${s.site}: forecast demand (${shown}) would take the projection to ${formatQty(fp.balance[low])} on ${date}, ${below}`
		)
	];
}

function lateInbound(s: AlertSnapshot, p: Profile, risks: Map<string, CommitmentRisk>): DesiredAlert[] {
	const out: DesiredAlert[] = [];
	for (const line of s.inbound) {
		if (!(line.qty > 0) || !isIsoDate(line.eta)) continue;
		const late = line.eta < p.today;
		const straddled = slippedPast(s, line);
		if (!late && straddled.length === 0) continue;
		const shortIds = straddled.filter((id) => risks.get(id)?.risk === 'short');
		const what = `${line.kind === 'transfer' ? 'transfer' : 'PO line'} ${line.key} (${line.qty})`;
		const parts = [late ? `${what} was due ${line.eta} and has not arrived` : `${what} slipped from ${line.previousEta} to ${line.eta}`];
		if (straddled.length > 0) parts.push(`past commitment ${straddled.join(', ')}`);
		if (shortIds.length > 0) parts.push(`now short: ${shortIds.join(', ')}`);
		out.push({
			kind: 'late_inbound',
			severity: shortIds.length > 0 ? 'high' : 'medium',
			subjectKey: inboundSubject(s.sku, s.site, line.key),
			sku: s.sku,
			site: s.site,
			commitmentId: shortIds[0] ?? straddled[0] ?? null,
			message: `${s.sku} @ ${s.site}: ${parts.join('; ')}`
		});
	}
	return out;
}

/** Confirmed commitments due in [previousEta, eta): the line was planned before them and now comes after. */
function slippedPast(s: AlertSnapshot, line: InboundSupply): string[] {
	const from = line.previousEta;
	if (!isIsoDate(from) || !isIsoDate(line.eta) || from >= line.eta) return [];
	const ids: string[] = [];
	for (const c of s.commitments) {
		if (c.status !== 'confirmed' || !(c.qty > 0)) continue;
		const d = shipDate(c);
		if (d !== null && d >= from && d < line.eta) ids.push(c.id);
	}
	return ids.sort();
}

function reorderPoint(s: AlertSnapshot, p: Profile): DesiredAlert[] {
	const rop = s.reorderPoint;
	if (rop === null || rop === undefined) return [];
	const position = s.onHand + p.inboundTotal;
	if (position >= rop) return [];
	return [pairAlert(s, 'below_reorder_point', 'low', `${s.sku} @ ${s.site}: on hand + inbound ${formatQty(position)} is below reorder point ${rop}`)];
}

function backorderAging(s: AlertSnapshot, today: IsoDate, o: AlertOptions): DesiredAlert[] {
	const since = s.backorderSince;
	if (!(s.backordered && s.backordered > 0) || !since || Number.isNaN(Date.parse(since))) return [];
	const limit = o.backorderAgeDays ?? 7;
	const sinceDay = localDate(since, o.timeZone);
	// "Older than N days": strictly more than N calendar days in the site's zone.
	if (diffDays(today, sinceDay) <= limit) return [];
	return [
		pairAlert(s, 'backorder_aging', 'medium', `${s.sku} @ ${s.site}: ${s.backordered} backordered since ${sinceDay} (over ${limit} days)`)
	];
}

const WIND_DOWN: readonly LifecycleStage[] = ['decline', 'end_of_life'];

/**
 * lifecycle_change for one SKU: stage-based, so it also resolves once the open commitments are
 * gone or the stage moves back. Reconcile it with `kinds: ['lifecycle_change']`.
 */
export function lifecycleChangeAlert(sku: string, stage: LifecycleStage, openCommitments: number): DesiredAlert | null {
	if (!WIND_DOWN.includes(stage) || openCommitments <= 0) return null;
	const label = stage === 'end_of_life' ? 'end of life' : 'decline';
	const n = openCommitments === 1 ? '1 open commitment' : `${openCommitments} open commitments`;
	return {
		kind: 'lifecycle_change',
		severity: 'low',
		subjectKey: skuSubject(sku),
		sku,
		site: null,
		commitmentId: null,
		message: `${sku} moved to ${label} with ${n}`
	};
}
