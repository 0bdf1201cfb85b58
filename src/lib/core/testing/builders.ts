// Terse builders for hand-written cases: days are offsets from TODAY.
import { addDays } from '../dates.ts';
import type { AvailabilityInput, CommitmentDemand, InboundSupply } from '../types.ts';
import { TODAY } from './arbitraries.ts';

export { TODAY };
export const day = (offset: number) => addDays(TODAY, offset);

export function input(over: Partial<AvailabilityInput> = {}): AvailabilityInput {
	return { today: TODAY, onHand: 0, safetyStock: 0, leadTimeDays: null, inbound: [], commitments: [], ...over };
}

export function po(key: string, qty: number, eta: number | null, extra: Partial<InboundSupply> = {}): InboundSupply {
	return { key, qty, eta: eta === null ? null : day(eta), kind: 'po', ...extra };
}

export function confirmed(id: string, qty: number, due: number | null, extra: Partial<CommitmentDemand> = {}): CommitmentDemand {
	const d = due === null ? null : day(due);
	return { id, qty, status: 'confirmed', requestedDate: d, promisedDate: d, ...extra };
}

export function requested(id: string, qty: number, due: number): CommitmentDemand {
	return { id, qty, status: 'requested', requestedDate: day(due), promisedDate: null };
}
