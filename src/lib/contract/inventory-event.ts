import { z } from 'zod';
import { EVENT_TYPES } from './domain.ts';

export const MAX_EVENTS_PER_REQUEST = 10_000;
export const MAX_EVENTS_BODY_BYTES = 10 * 1024 * 1024;

const code = z
	.string()
	.trim()
	.min(1)
	.max(64)
	.regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'letters, digits and . _ - / only');

export const isoDate = z.iso.date({ message: 'expected a date YYYY-MM-DD' });

const base = {
	id: z.string().min(1).max(128),
	sku: code,
	site: code,
	at: z.iso.datetime({ offset: true, message: 'expected an ISO-8601 timestamp with offset' }),
	po: z.string().min(1).max(128).optional(),
	eta: isoDate.optional(),
	toSite: code.optional(),
	commitment: z.string().min(1).max(128).optional()
};

const int = z.number().int().safe();

/** One inventory event as an ERP/WMS posts it (CONTRACT.md "Inventory event"). */
export const inventoryEventSchema = z
	.object({ ...base, type: z.enum(EVENT_TYPES), qty: int })
	.strict()
	.superRefine((e, ctx) => {
		const bad = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
		switch (e.type) {
			case 'receipt':
			case 'shipment':
			case 'transfer':
				if (e.qty <= 0) bad('qty', `must be > 0 for ${e.type}`);
				break;
			case 'adjustment':
				if (e.qty === 0) bad('qty', 'must not be 0 for adjustment');
				break;
			case 'count':
				if (e.qty < 0) bad('qty', 'must be >= 0 for count');
				break;
			case 'po':
				if (e.qty < 0) bad('qty', 'must be >= 0 for po');
				if (!e.po) bad('po', 'is required for po');
				break;
		}
		if (e.type === 'transfer') {
			if (!e.toSite) bad('toSite', 'is required for transfer');
			else if (e.toSite === e.site) bad('toSite', 'must differ from site');
		} else if (e.toSite !== undefined) bad('toSite', 'is only allowed on transfer');
		if (e.eta !== undefined && e.type !== 'po' && e.type !== 'transfer') bad('eta', 'is only allowed on po and transfer');
		if (e.commitment !== undefined && e.type !== 'shipment') bad('commitment', 'is only allowed on shipment');
	});

export type InventoryEvent = z.infer<typeof inventoryEventSchema>;

export interface EventValidationError {
	index: number;
	path: string;
	message: string;
}

export interface IngestResult {
	accepted: number;
	duplicates: number;
}
