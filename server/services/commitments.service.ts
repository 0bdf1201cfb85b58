import { randomUUID } from 'node:crypto';
import type { Commitment, CommitmentWithRisk, CreateCommitment, PatchCommitment } from '../../src/lib/contract/commitments.ts';
import { fieldViolations, OPS_INITIAL } from '../../src/lib/policy/commitment-fields.policy.ts';
import { can, canSeeSite, principalLabel, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Sql, TxSql } from '../db/database.ts';
import type { RecomputeQueue } from '../jobs/queues.ts';
import type { PairKey } from '../repositories/positions.repository.ts';
import { AppError, ForbiddenError, NotFoundError } from './errors.ts';
import type { Repositories } from './services.ts';

const UNIQUE_VIOLATION = '23505';

/**
 * Commitments through the API. Every write marks the SKU×site pairs it touches dirty in the same
 * transaction, so allocation, ATP, risks and alerts follow through the normal recompute path.
 */
export class CommitmentsService {
	constructor(
		private readonly sql: Sql,
		private readonly repos: Pick<Repositories, 'commitments' | 'positions' | 'catalog'>,
		private readonly queue: RecomputeQueue
	) {}

	async create(p: Principal, body: CreateCommitment): Promise<CommitmentWithRisk> {
		const role = this.writerRole(p);
		const c: Commitment = {
			id: body.id ?? `c-${randomUUID()}`,
			board: body.board ?? 'main',
			customer: body.customer,
			sku: body.sku,
			qty: body.qty,
			requestedDate: body.requestedDate,
			promisedDate: body.promisedDate ?? OPS_INITIAL.promisedDate,
			site: body.site ?? OPS_INITIAL.site,
			status: body.status ?? OPS_INITIAL.status,
			owner: body.owner ?? principalLabel(p),
			priority: body.priority ?? 0,
			notes: body.notes ?? ''
		};
		this.enforce(role, null, c);
		if (c.site && !canSeeSite(p, c.site)) throw new ForbiddenError(`you do not follow site ${c.site}`);
		try {
			await this.write(c, [pairOf(c)]);
		} catch (err) {
			if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new AppError(409, `commitment ${c.id} already exists`);
			throw err;
		}
		return (await this.repos.commitments.get(this.sql, c.id))!;
	}

	async patch(p: Principal, id: string, changes: PatchCommitment): Promise<CommitmentWithRisk> {
		const role = this.writerRole(p);
		let pairs: (PairKey | null)[] = [];
		await this.sql.begin(async (tx) => {
			const before = await this.repos.commitments.lockForUpdate(tx, id);
			if (!before || (before.site && !canSeeSite(p, before.site))) throw new NotFoundError(`no commitment ${id}`);
			const after: Commitment = { ...before, ...changes };
			this.enforce(role, before, after);
			if (after.site && !canSeeSite(p, after.site)) throw new ForbiddenError(`you do not follow site ${after.site}`);
			pairs = [pairOf(before), pairOf(after)];
			await this.apply(tx, after, pairs);
		});
		await this.enqueue(pairs);
		return (await this.repos.commitments.get(this.sql, id))!;
	}

	list(p: Principal, q: { board?: string; sku?: string; site?: string; risk?: CommitmentWithRisk['risk']; status?: string; limit: number }) {
		return this.repos.commitments.list({ ...q, sites: visibleSites(p) });
	}

	/** The board projection writes whole records through here too, so both paths recompute alike. */
	async write(c: Commitment, pairs: (PairKey | null)[]): Promise<void> {
		await this.sql.begin((tx) => this.apply(tx, c, pairs));
		await this.enqueue(pairs);
	}

	private async apply(tx: TxSql, c: Commitment, pairs: (PairKey | null)[]): Promise<void> {
		await this.repos.commitments.upsert(tx, c);
		const keys = uniquePairs(pairs);
		await this.repos.catalog.registerUnknown(tx, [...new Set(keys.map((k) => k.sku))], [...new Set(keys.map((k) => k.site))]);
		await this.repos.positions.markDirty(tx, keys);
		// Without a site no SKU×site recompute covers it: its risk is unknown until ops picks one.
		if (!c.site) await this.repos.commitments.writeUnplaced(tx, c.id, 'unknown');
	}

	private async enqueue(pairs: (PairKey | null)[]): Promise<void> {
		// A lost enqueue is caught by the sweep: the pairs are already marked dirty.
		await this.queue.enqueue(uniquePairs(pairs)).catch(() => {});
	}

	private writerRole(p: Principal) {
		if (p.kind !== 'user' || !can(p, 'commitments:write')) throw new ForbiddenError('your role may not change commitments');
		return p.role;
	}

	private enforce(role: Parameters<typeof fieldViolations>[0], before: Commitment | null, after: Commitment): void {
		const violations = fieldViolations(role, before, after);
		if (violations.length) {
			throw new AppError(403, 'your role may not change some of these fields', violations.map((v) => ({ path: v.field, message: v.message })));
		}
	}
}

function pairOf(c: Commitment): PairKey | null {
	return c.site ? { sku: c.sku, site: c.site } : null;
}

function uniquePairs(pairs: (PairKey | null)[]): PairKey[] {
	const m = new Map<string, PairKey>();
	for (const p of pairs) if (p) m.set(`${p.sku}\u0000${p.site}`, p);
	return [...m.values()].sort((a, b) => (a.sku === b.sku ? (a.site < b.site ? -1 : 1) : a.sku < b.sku ? -1 : 1));
}
