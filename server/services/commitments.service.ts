import { randomUUID } from 'node:crypto';
import type { Commitment, CommitmentWithRisk, CreateCommitment, PatchCommitment } from '../../src/lib/contract/commitments.ts';
import { fieldViolations, OPS_INITIAL } from '../../src/lib/policy/commitment-fields.policy.ts';
import { can, canSeeSite, principalLabel, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Role } from '../../src/lib/contract/domain.ts';
import type { Sql, TxSql } from '../db/database.ts';
import type { RecomputeProducer } from './jobs.port.ts';
import { uniquePairs, type PairKey } from '../repositories/pair-key.ts';
import { siteScopeRefusal, type SiteScope } from '../../src/lib/policy/board-scope.policy.ts';
import type { BoardsService } from './boards.service.ts';
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from './errors.ts';
import { importCommitments, type ImportedCommitment, type RowProblem } from './commitments.import.ts';
import type { Repositories } from '../repositories/repositories.ts';

const UNIQUE_VIOLATION = '23505';

/**
 * The board documents, as the REST routes see them (server/realtime/board). With one attached, API
 * writes land in the board document first and the projection stores them, so open boards see them.
 */
export interface CommitmentBoard {
	/**
	 * Runs `change` on the document's current record of `id` (null: no such card) inside one document
	 * transaction, writes what it returns, and resolves once that is stored in the commitments table.
	 */
	apply(boardId: string, id: string, change: (current: Commitment | null) => Commitment, actor: string): Promise<void>;
}

/**
 * Commitments through the API. Every write marks the SKU×site pairs it touches dirty in the same
 * transaction, so allocation, ATP, risks and alerts follow through the normal recompute path.
 */
export class CommitmentsService {
	constructor(
		private readonly sql: Sql,
		private readonly repos: Pick<Repositories, 'commitments' | 'positions' | 'catalog'>,
		private readonly queue: RecomputeProducer,
		private readonly boards: BoardsService
	) {}

	private board: CommitmentBoard | null = null;

	/** Web nodes attach their board documents; without them (workers, tests) writes go to the table. */
	useBoard(board: CommitmentBoard | null): void {
		this.board = board;
	}

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
		// A board nobody made yet is made now (scope all) if the writer may; otherwise 404 or 403.
		const scope = await this.boards.open(p, c.board, { create: true });
		inScope(c.board, scope, c.site);
		const taken = (await this.boards.boardsOfCommitments([c.id])).get(c.id);
		if (taken !== undefined && taken !== c.board) {
			throw new AppError(409, `commitment ${c.id} is on board ${taken}: an id names one commitment on one board`);
		}
		if (this.board) {
			if (taken !== undefined) throw new AppError(409, `commitment ${c.id} already exists`);
			await this.board.apply(c.board, c.id, (current) => {
				if (current) throw new AppError(409, `commitment ${c.id} already exists`);
				return c;
			}, principalLabel(p));
			return (await this.repos.commitments.get(this.sql, c.id))!;
		}
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
		if (this.board) return this.patchOnBoard(this.board, p, role, id, changes);
		let pairs: (PairKey | null)[] = [];
		await this.sql.begin(async (tx) => {
			const before = await this.repos.commitments.lockForUpdate(tx, id);
			if (!before || (before.site && !canSeeSite(p, before.site))) throw new NotFoundError(`no commitment ${id}`);
			const scope = await this.boards.open(p, before.board);
			const after: Commitment = { ...before, ...changes };
			this.enforce(role, before, after);
			if (after.site && !canSeeSite(p, after.site)) throw new ForbiddenError(`you do not follow site ${after.site}`);
			if (after.site !== before.site) inScope(before.board, scope, after.site);
			pairs = [pairOf(before), pairOf(after)];
			await this.apply(tx, after, pairs);
		});
		await this.enqueue(pairs);
		return (await this.repos.commitments.get(this.sql, id))!;
	}

	/** The document holds the truth: the policy is checked against its card, once, inside its transaction. */
	private async patchOnBoard(board: CommitmentBoard, p: Principal, role: Role, id: string, changes: PatchCommitment): Promise<CommitmentWithRisk> {
		const row = await this.repos.commitments.get(this.sql, id);
		if (!row || (row.site && !canSeeSite(p, row.site))) throw new NotFoundError(`no commitment ${id}`);
		const scope = await this.boards.open(p, row.board);
		await board.apply(row.board, id, (before) => {
			if (!before) throw new NotFoundError(`no commitment ${id}`);
			const after: Commitment = { ...before, ...changes };
			this.enforce(role, before, after);
			if (after.site && !canSeeSite(p, after.site)) throw new ForbiddenError(`you do not follow site ${after.site}`);
			// A site placed before the scope narrowed may stay; moving a card means moving it inside.
			if (after.site !== before.site) inScope(row.board, scope, after.site);
			return after;
		}, principalLabel(p));
		return (await this.repos.commitments.get(this.sql, id))!;
	}

	/** With `board`: that board, if `p` may open it (403/404). Without: every board `p` covers. */
	async list(p: Principal, q: { board?: string; sku?: string; site?: string; risk?: CommitmentWithRisk['risk']; status?: string; limit: number }) {
		if (q.board) await this.boards.open(p, q.board);
		const boards = q.board ? null : await this.boards.readableBoards(p);
		return this.repos.commitments.list({ ...q, sites: visibleSites(p), boards });
	}

	/**
	 * A CSV import's commitments, all or nothing: the problems per row (nothing written), or [] once
	 * every row is stored. `owner` null keeps the stored owner (the importer's, for a new one).
	 */
	importMany(p: Principal, rows: ImportedCommitment[], dryRun = false): Promise<RowProblem[]> {
		const deps = {
			sql: this.sql,
			repos: this.repos,
			board: this.board,
			enqueue: (pairs: (PairKey | null)[]) => this.enqueue(pairs),
			// A board the importer may create is created by the real import, not by a dry run.
			openBoard: (board: string) => this.boards.open(p, board, { create: true, dryRun })
		};
		return importCommitments(deps, p, this.writerRole(p), rows, dryRun);
	}

	/** The board projection writes whole records through here too, so both paths recompute alike. */
	async write(c: Commitment, pairs: (PairKey | null)[]): Promise<void> {
		await this.sql.begin((tx) => this.apply(tx, c, pairs));
		await this.enqueue(pairs);
	}

	/**
	 * The board projection's write: in one transaction `decide` sees the stored row (locked) and
	 * returns the record to store, or null when nothing changed; both versions' pairs are recomputed.
	 */
	async writeLocked(id: string, decide: (tx: TxSql, before: Commitment | null) => Promise<Commitment | null>): Promise<Commitment | null> {
		const { stored, pairs } = await this.sql.begin((tx) => this.writeLockedIn(tx, id, decide));
		if (stored) await this.enqueue(pairs);
		return stored;
	}

	/**
	 * writeLocked inside the caller's transaction (the board projection stores a batch of cards with
	 * its cursor); the caller passes the returned pairs to recompute() once it has committed.
	 */
	async writeLockedIn(
		tx: TxSql,
		id: string,
		decide: (tx: TxSql, before: Commitment | null) => Promise<Commitment | null>
	): Promise<{ stored: Commitment | null; pairs: (PairKey | null)[] }> {
		const before = await this.repos.commitments.lockForUpdate(tx, id);
		const after = await decide(tx, before);
		if (!after) return { stored: null, pairs: [] };
		const pairs = [before && pairOf(before), pairOf(after)];
		await this.apply(tx, after, pairs);
		return { stored: after, pairs };
	}

	/** Enqueues the recompute of pairs a committed write marked dirty. */
	recompute(pairs: (PairKey | null)[]): Promise<void> {
		return this.enqueue(pairs);
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

	private writerRole(p: Principal): Role {
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

/** 400 naming the site when a card's site does not lie inside its board's scope. */
function inScope(boardId: string, scope: SiteScope, site: string | null): void {
	const why = siteScopeRefusal(boardId, scope, site);
	if (why) throw new BadRequestError(why, [{ path: 'site', message: why }]);
}

function pairOf(c: Commitment): PairKey | null {
	return c.site ? { sku: c.sku, site: c.site } : null;
}

