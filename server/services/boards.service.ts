import { createBoardSchema, updateBoardSchema, type AdminBoard } from '../../src/lib/contract/admin.ts';
import { boardIdSchema } from '../../src/lib/contract/commitments.ts';
import { principalLabel, type Principal } from '../../src/lib/policy/access.policy.ts';
import { boardRefusal, mayCreateBoard, normaliseScope, type SiteScope } from '../../src/lib/policy/board-scope.policy.ts';
import type { Sql, TxSql } from '../db/database.ts';
import type { AuditRepository } from '../repositories/audit.repository.ts';
import type { BoardsRepository } from '../repositories/boards.repository.ts';
import type { CatalogAdminRepository } from '../repositories/catalog-admin.repository.ts';
import type { CommitmentsRepository } from '../repositories/commitments.repository.ts';
import { allow, parse } from './admin.service.ts';
import { AppError, BadRequestError, ForbiddenError, NotFoundError } from './errors.ts';

export interface BoardsDeps {
	sql: Sql;
	boards: BoardsRepository;
	audit: AuditRepository;
	commitments: CommitmentsRepository;
	catalogAdmin: CatalogAdminRepository;
	/**
	 * How long a board's scope is trusted from the cache. This node drops it at once when its admin
	 * API changes a board; another node's change is seen within this time.
	 */
	scopeTtlMs?: number;
}

interface Cached {
	scope: SiteScope;
	at: number;
}

const DEFAULT_TTL_MS = 5_000;

/**
 * Boards and their site scope: who may open which board, the scope the board guard and the REST
 * writes check a card's site against, and the admin API. A board nobody created yet is created
 * with scope all when someone who edits boards and follows every site (admin, ops, sales) opens or
 * writes it; for anyone else it does not exist (404, Yjs 4403).
 */
export class BoardsService {
	private readonly cache = new Map<string, Cached>();
	private readonly ttlMs: number;

	constructor(private readonly d: BoardsDeps) {
		this.ttlMs = d.scopeTtlMs ?? DEFAULT_TTL_MS;
	}

	/** The board's scope (null: every site); NotFoundError when there is no such board. Cached. */
	async scopeOf(boardId: string): Promise<SiteScope> {
		const hit = this.cache.get(boardId);
		if (hit && Date.now() - hit.at < this.ttlMs) return hit.scope;
		const row = await this.d.boards.get(boardId);
		if (!row) {
			this.cache.delete(boardId);
			throw new NotFoundError(`no board ${boardId}`);
		}
		this.cache.set(boardId, { scope: row.sites, at: Date.now() });
		return row.sites;
	}

	/**
	 * The last scope this node read for a loaded board, without waiting (undefined: never read; the
	 * Yjs endpoint reads it before it lets anyone in, so open boards have one). A stale entry is
	 * returned and refreshed in the background.
	 */
	peekScope(boardId: string): SiteScope | undefined {
		const hit = this.cache.get(boardId);
		if (hit && Date.now() - hit.at >= this.ttlMs) void this.scopeOf(boardId).catch(() => {});
		return hit?.scope;
	}

	/** Commitment id → the board it is stored on, for the ids that are stored (see CommitmentsRepository.boardsOf). */
	boardsOfCommitments(ids: string[]): Promise<Map<string, string>> {
		return this.d.commitments.boardsOf([...new Set(ids)]);
	}

	/**
	 * Checks that `p` may open board `boardId` and answers its scope: 403 when its sites do not cover
	 * the scope (or a display token's board is another), 404 when there is no such board — unless
	 * `create` and the principal may create boards, which creates it with scope all (`dryRun`: answers
	 * as if it had, creating nothing).
	 */
	async open(p: Principal, boardId: string, opts: { create?: boolean; dryRun?: boolean } = {}): Promise<SiteScope> {
		if (!boardIdSchema.safeParse(boardId).success) throw new NotFoundError(`no board ${boardId}`);
		let scope: SiteScope;
		try {
			scope = await this.scopeOf(boardId);
		} catch (err) {
			if (!(err instanceof NotFoundError) || !opts.create || !mayCreateBoard(p)) throw err;
			scope = opts.dryRun ? null : await this.createOnTheFly(p, boardId);
		}
		const refusal = boardRefusal(p, boardId, scope);
		if (refusal) throw new ForbiddenError(refusal);
		return scope;
	}

	/**
	 * The boards whose commitments `p` may list: null when every board (a principal of every site),
	 * else those whose scope its sites cover (a display token: its own board, when covered).
	 */
	async readableBoards(p: Principal): Promise<string[] | null> {
		if (p.kind === 'token' && p.scope === 'display') {
			if (!p.board) return [];
			const scope = await this.scopeOf(p.board).catch(() => undefined);
			return scope !== undefined && boardRefusal(p, p.board, scope) === null ? [p.board] : [];
		}
		if (p.kind === 'bootstrap-ingest' || p.sites === null) return null;
		return this.d.boards.coveredBy(p.sites);
	}

	list(actor: Principal | null): Promise<AdminBoard[]> {
		allow(actor, 'boards:manage');
		return this.d.boards.list();
	}

	async create(actor: Principal | null, body: unknown): Promise<AdminBoard> {
		const who = allow(actor, 'boards:manage');
		const input = parse(createBoardSchema, body);
		const sites = normaliseScope(input.sites);
		await this.d.sql.begin(async (tx) => {
			await this.knownSites(tx, sites);
			if (!(await this.d.boards.create(tx, { id: input.id, name: input.name, sites }))) throw new AppError(409, `board ${input.id} exists`);
			await this.d.audit.record(who, 'board.created', { id: input.id, name: input.name, sites }, tx);
		});
		this.cache.delete(input.id);
		return (await this.d.boards.getAdmin(input.id))!;
	}

	/**
	 * Renames or re-scopes a board. Cards already on it keep their sites (a narrower scope refuses
	 * new ones outside it); people who no longer cover it are refused from their next request or
	 * reconnect, and display tokens of the board are reconnected by the revalidation loops.
	 */
	async update(actor: Principal | null, id: string, body: unknown): Promise<AdminBoard> {
		const who = allow(actor, 'boards:manage');
		const input = parse(updateBoardSchema, body);
		const sites = input.sites === undefined ? undefined : normaliseScope(input.sites);
		const updated = await this.d.sql.begin(async (tx) => {
			const before = await this.d.boards.lockForUpdate(tx, id);
			if (!before) throw new NotFoundError(`no board ${id}`);
			if (sites !== undefined) await this.knownSites(tx, sites);
			const after = await this.d.boards.update(tx, id, { name: input.name, sites });
			await this.d.audit.record(who, 'board.updated', { id, from: { name: before.name, sites: before.sites }, to: { name: after!.name, sites: after!.sites } }, tx);
			return after!;
		});
		this.cache.delete(id);
		return updated;
	}

	private async createOnTheFly(p: Principal, boardId: string): Promise<SiteScope> {
		await this.d.sql.begin(async (tx) => {
			// Two first openers race: one creates, the other finds it made; both read the same scope.
			if (await this.d.boards.create(tx, { id: boardId, name: boardId, sites: null })) {
				await this.d.audit.record(principalLabel(p), 'board.created', { id: boardId, name: boardId, sites: null, onTheFly: true }, tx);
			}
		});
		return this.scopeOf(boardId);
	}

	private async knownSites(tx: TxSql, sites: SiteScope): Promise<void> {
		if (sites === null) return;
		const found = new Set(await this.d.catalogAdmin.existingSites(sites, tx));
		const unknown = sites.filter((s) => !found.has(s));
		if (unknown.length) throw new BadRequestError('unknown sites', unknown.map((s) => ({ path: 'sites', message: `no site ${s}` })));
	}
}
