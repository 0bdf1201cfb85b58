// Inputs shared by the ATP, promise, risk and alert functions of the core.
import type { CommitmentStatus, IsoDate, Risk } from '../contract/domain.ts';

/** One open inbound line (a ledger InboundLine is assignable to it). */
export interface InboundSupply {
	key: string;
	qty: number;
	eta: IsoDate | null;
	kind?: 'po' | 'transfer';
	previousEta?: IsoDate | null;
}

/** A commitment as the availability math sees it (status decides whether it is demand). */
export interface CommitmentDemand {
	id: string;
	/** Open quantity: callers net partial shipments before passing it. */
	qty: number;
	status: CommitmentStatus;
	requestedDate: IsoDate | null;
	promisedDate: IsoDate | null;
	customer?: string;
	/**
	 * Risk serves confirmed commitments in promise order: ship date, then priority (higher first;
	 * missing = 0), then id. Only breaks ties between commitments shipping on the same date.
	 */
	priority?: number;
}

/** Everything needed to compute availability for one SKU×site. */
export interface AvailabilityInput {
	/** Today in the site's time zone. */
	today: IsoDate;
	onHand: number;
	/** Units already owed to customers; they consume supply first, so they count as demand due today. */
	backordered?: number;
	safetyStock?: number;
	/** null = unknown lead time: no infinite-supply fence. */
	leadTimeDays: number | null;
	inbound: readonly InboundSupply[];
	/** Commitments shipping from this site; shipped and cancelled ones are ignored. */
	commitments: readonly CommitmentDemand[];
	/** The SKU was registered on the fly from an event and is missing from the catalog. */
	unknownSku?: boolean;
	/**
	 * Forecast demand from sales signals (forecast.ts). Counted only when `countForecast` is on, and
	 * then only in a projection of its own: ATP, promise checks and commitment risk stay firm.
	 */
	forecast?: readonly ForecastDemand[];
	countForecast?: boolean;
}

/** Expected, not promised, demand on a date; `signal` names where it comes from. */
export interface ForecastDemand {
	date: IsoDate;
	qty: number;
	signal?: string;
}

export interface CommitmentRisk {
	risk: Risk;
	shortQty: number;
	earliestDate: IsoDate | null;
}

export interface DateQty {
	date: IsoDate;
	qty: number;
}

export interface DateBalance {
	date: IsoDate;
	balance: number;
}
