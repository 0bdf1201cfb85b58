// Forecast demand from sales signals, kept apart from firm demand. Firm P(t) (confirmed
// commitments) decides ATP, promise checks and commitment risk; forecast demand only ever lowers a
// second projection next to it, so a rep's hunch can warn ops but never un-promise a customer.
import type { IsoDate } from '../contract/domain.ts';
import type { SignalKind, SignalPeriod } from '../contract/signals.ts';
import { addDays, diffDays, isIsoDate, maxDate, minDate } from './dates.ts';
import type { Profile } from './profile.ts';
import type { DateBalance, DateQty, ForecastDemand } from './types.ts';

/** How far ahead an open-ended signal is spread: half a year covers every lead time in use. */
export const FORECAST_HORIZON_DAYS = 182;

export interface SignalSpec {
	id: string;
	kind: SignalKind;
	qty: number | null;
	per: SignalPeriod | null;
	startDate: IsoDate;
	endDate: IsoDate | null;
	customer?: string | null;
}

/** A short human name for a signal, as alerts and lists quote it. */
export function signalLabel(s: SignalSpec): string {
	const who = s.customer ? `${s.customer} ` : '';
	const until = s.endDate ? ` to ${s.endDate}` : '';
	switch (s.kind) {
		case 'fading':
			return `${who}demand fading from ${s.startDate}`.trim();
		case 'promotion':
			return `${who}promotion +${s.qty ?? 0} ${s.startDate} to ${s.endDate}`.trim();
		default:
			return s.per === 'total'
				? `${who}~${s.qty ?? 0} between ${s.startDate} and ${s.endDate}`.trim()
				: `${who}~${s.qty ?? 0}/${s.per} from ${s.startDate}${until}`.trim();
	}
}

/** Units per day of a signal, and the last day it covers (null: open-ended). */
function rate(s: SignalSpec): { perDay: number; total: number | null } | null {
	if (s.kind === 'fading' || !(s.qty && s.qty > 0) || !isIsoDate(s.startDate)) return null;
	if (s.endDate !== null && (!isIsoDate(s.endDate) || s.endDate < s.startDate)) return null;
	const per = s.kind === 'promotion' ? 'total' : s.per;
	if (per === 'week') return { perDay: s.qty / 7, total: null };
	if (per === 'month') return { perDay: (s.qty * 12) / 365, total: null };
	if (per === 'total' && s.endDate) {
		const days = diffDays(s.endDate, s.startDate) + 1;
		return { perDay: s.qty / days, total: s.qty };
	}
	return null;
}

/**
 * Spreads signals into weekly forecast lines over [today, horizonEnd]: week k of a signal starts
 * k×7 days after its start, and its line is dated at the first day of the week still ahead. Rounding
 * is cumulative from the signal's start, so a total comes out exact and weeks never drift. Days
 * already past are dropped: forecast demand that did not come is not owed, unlike a commitment.
 */
export function signalForecast(signals: readonly SignalSpec[], today: IsoDate, horizonEnd: IsoDate = addDays(today, FORECAST_HORIZON_DAYS)): ForecastDemand[] {
	const out: ForecastDemand[] = [];
	for (const s of signals) {
		const r = rate(s);
		if (!r) continue;
		const cum = (days: number) => (r.total !== null && days >= diffDays(s.endDate!, s.startDate) + 1 ? r.total : Math.round(r.perDay * days));
		const from = maxDate(s.startDate, today);
		const to = s.endDate === null ? horizonEnd : minDate(s.endDate, horizonEnd);
		if (to < from) continue;
		const winStart = diffDays(from, s.startDate);
		const winEnd = diffDays(to, s.startDate) + 1; // exclusive
		for (let week = Math.floor(winStart / 7) * 7; week < winEnd; week += 7) {
			const a = Math.max(week, winStart);
			const b = Math.min(week + 7, winEnd);
			const qty = cum(b) - cum(a);
			if (qty > 0) out.push({ date: addDays(s.startDate, a), qty, signal: signalLabel(s) });
		}
	}
	return out.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

export interface ForecastProjection {
	dates: IsoDate[];
	/** Cumulative forecast demand due ≤ dates[i]. */
	forecast: number[];
	/** Firm P(dates[i]) minus forecast[i]. */
	balance: number[];
	/** Index of the profile's fence in `dates`, or dates.length without one. */
	fenceIndex: number;
}

/** Firm P(t) of a profile with forecast demand taken off, on the union of both change dates. */
export function forecastProjection(p: Profile, forecast: readonly ForecastDemand[]): ForecastProjection {
	const due = new Map<IsoDate, number>();
	for (const f of forecast) {
		// Lines before today are not carried forward (see signalForecast): only what lies ahead counts.
		if (!isIsoDate(f.date) || f.date < p.today || !(f.qty > 0)) continue;
		due.set(f.date, (due.get(f.date) ?? 0) + f.qty);
	}
	const dates = [...new Set([...p.dates, ...due.keys()])].sort();
	const forecastCum: number[] = new Array(dates.length);
	const balance: number[] = new Array(dates.length);
	let j = 0;
	let cum = 0;
	for (let i = 0; i < dates.length; i++) {
		while (j + 1 < p.dates.length && p.dates[j + 1] <= dates[i]) j++;
		cum += due.get(dates[i]) ?? 0;
		forecastCum[i] = cum;
		balance[i] = p.balance[j] - cum;
	}
	const fenceIndex = p.fence === null ? dates.length : dates.indexOf(p.fence);
	return { dates, forecast: forecastCum, balance, fenceIndex };
}

/** Step lists for the API and the chart: repeated values dropped, the fence kept visible. */
export function forecastSeries(fp: ForecastProjection, fence: IsoDate | null): { forecast: DateQty[]; forecastProjected: DateBalance[] } {
	const forecast: DateQty[] = [];
	const forecastProjected: DateBalance[] = [];
	for (let i = 0; i < fp.dates.length; i++) {
		const date = fp.dates[i];
		const keep = i === 0 || date === fence;
		if (keep || fp.forecast[i] !== fp.forecast[i - 1]) forecast.push({ date, qty: fp.forecast[i] });
		if (keep || fp.balance[i] !== fp.balance[i - 1]) forecastProjected.push({ date, balance: fp.balance[i] });
	}
	return { forecast, forecastProjected };
}
