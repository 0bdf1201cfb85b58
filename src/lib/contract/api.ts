import { z } from 'zod';
import type { IsoDate } from './domain.ts';

export const sessionRequestSchema = z
	.object({ email: z.email().max(254), password: z.string().min(1).max(256) })
	.strict();

export interface SessionUser {
	id: string;
	email: string;
	name: string;
	role: import('./domain.ts').Role;
}

export const availabilityQuerySchema = z.object({
	sku: z.string().min(1).max(64),
	site: z.string().min(1).max(64),
	forecast: z.enum(['0', '1']).optional()
});

export interface AvailabilityResponse {
	sku: string;
	site: string;
	onHand: number;
	allocated: number;
	inbound: number;
	backordered: number;
	safetyStock: number;
	available: number;
	atp: { date: IsoDate; qty: number }[];
	projected: { date: IsoDate; balance: number }[];
	/**
	 * Extension, with `?forecast=1`: cumulative forecast demand from demand signals, and P(t) minus
	 * it. Firm figures above never include forecast demand.
	 */
	forecast?: { date: IsoDate; qty: number }[];
	forecastProjected?: { date: IsoDate; balance: number }[];
}

export interface PositionRow {
	sku: string;
	site: string;
	onHand: number;
	allocated: number;
	inbound: number;
	available: number;
	updatedAt: string;
}

/** A row of `GET /api/positions` (an extension of the contract): the position with its SKU's name. */
export interface PositionListItem extends PositionRow {
	name: string;
}

/** Error body of every 4xx/5xx answer from /api. */
export interface ApiError {
	error: string;
	errors?: { index?: number; path: string; message: string }[];
}
