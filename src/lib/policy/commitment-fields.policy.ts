// Field ownership on commitments (CONTRACT.md "Field ownership"). Pure: the REST routes and the board
// document both ask this module which keys a role may change.
import type { CommitmentStatus, Role } from '../contract/domain.ts';

export const SALES_FIELDS = ['customer', 'sku', 'qty', 'requestedDate', 'priority'] as const;
export const OPS_FIELDS = ['promisedDate', 'site', 'status'] as const;
/** Both sides edit these. `owner` is not named by the contract; both sides reassign work. */
export const SHARED_FIELDS = ['notes', 'owner'] as const;
export const COMMITMENT_FIELDS = [...SALES_FIELDS, ...OPS_FIELDS, ...SHARED_FIELDS] as const;
export type CommitmentField = (typeof COMMITMENT_FIELDS)[number];

/** Values of the ops-owned keys a commitment starts with when sales creates it. */
export const OPS_INITIAL: { promisedDate: null; site: null; status: CommitmentStatus } = {
	promisedDate: null,
	site: null,
	status: 'requested'
};

export type CommitmentValues = Partial<Record<CommitmentField, unknown>>;

export interface FieldViolation {
	field: CommitmentField | '*';
	message: string;
}

const owns: Record<Role, ReadonlySet<CommitmentField>> = {
	admin: new Set(COMMITMENT_FIELDS),
	ops: new Set<CommitmentField>([...OPS_FIELDS, ...SHARED_FIELDS]),
	sales: new Set<CommitmentField>([...SALES_FIELDS, ...SHARED_FIELDS]),
	viewer: new Set()
};

export function mayChange(role: Role, field: CommitmentField): boolean {
	return owns[role].has(field);
}

/**
 * What `role` did wrong going from `before` to `after` (null = the commitment does not exist).
 * Creating: sales may set only the ops-owned keys' initial values; ops and admin may set anything.
 * Deleting is admin-only: everyone else cancels through `status`.
 */
export function fieldViolations(role: Role, before: CommitmentValues | null, after: CommitmentValues | null): FieldViolation[] {
	if (role === 'viewer') return before === after ? [] : [{ field: '*', message: 'viewers cannot change commitments' }];
	if (after === null) {
		return before === null || role === 'admin' ? [] : [{ field: '*', message: 'only an admin may delete a commitment; cancel it instead' }];
	}
	if (before === null) {
		if (role !== 'sales') return [];
		return OPS_FIELDS.filter((f) => !same(after[f] ?? OPS_INITIAL[f], OPS_INITIAL[f])).map((f) => ({
			field: f,
			message: `sales may create a commitment only with ${f} ${JSON.stringify(OPS_INITIAL[f])}; ops sets it`
		}));
	}
	return COMMITMENT_FIELDS.filter((f) => !same(before[f], after[f]) && !mayChange(role, f)).map((f) => ({
		field: f,
		message: `${role} may not change ${f}; ${OPS_FIELDS.includes(f as never) ? 'ops' : 'sales'} owns it`
	}));
}

function same(a: unknown, b: unknown): boolean {
	return (a ?? null) === (b ?? null);
}
