// Commitments from a CSV import, all or nothing, under the same field-ownership rules as the board
// and the REST routes (commitment-fields.policy.ts). CommitmentsService.importMany is the way in.
import type { Commitment } from '../../src/lib/contract/commitments.ts';
import type { Role } from '../../src/lib/contract/domain.ts';
import { fieldViolations } from '../../src/lib/policy/commitment-fields.policy.ts';
import { canSeeSite, principalLabel, type Principal } from '../../src/lib/policy/access.policy.ts';
import { siteScopeRefusal, type SiteScope } from '../../src/lib/policy/board-scope.policy.ts';
import { AppError } from './errors.ts';
import type { Sql } from '../db/database.ts';
import { uniquePairs, type PairKey } from '../repositories/pair-key.ts';
import type { CommitmentBoard } from './commitments.service.ts';
import type { Repositories } from '../repositories/repositories.ts';

export interface RowProblem {
	/** Index of the row in the list handed in. */
	index: number;
	field: string;
	message: string;
}

/** An import row: `owner` null means "keep the stored owner, or the importer for a new one". */
export type ImportedCommitment = Commitment;

export interface CommitmentImportDeps {
	sql: Sql;
	repos: Pick<Repositories, 'commitments' | 'positions' | 'catalog'>;
	board: CommitmentBoard | null;
	enqueue: (pairs: (PairKey | null)[]) => Promise<void>;
	/** The board's scope if the importer may write on it; throws (403/404) otherwise. */
	openBoard: (board: string) => Promise<SiteScope>;
}

/** Per board of a file: its scope, or why the importer may not write on it. */
export type BoardScopes = Map<string, { scope: SiteScope } | { refusal: string }>;

// The policy names record fields; an import reader thinks in the file's columns.
const COLUMN: Record<string, string> = { requestedDate: 'requested_date', promisedDate: 'promised_date', '*': 'id' };

const pairOf = (c: Commitment | null | undefined): PairKey | null => (c?.site ? { sku: c.sku, site: c.site } : null);

function complete(rows: ImportedCommitment[], stored: Map<string, Commitment>, label: string): Commitment[] {
	return rows.map((c) => ({ ...c, owner: c.owner ?? stored.get(c.id)?.owner ?? label }));
}

/** Every reason a row may not be written by this principal, named by column. */
export function checkRows(p: Principal, role: Role, rows: Commitment[], stored: Map<string, Commitment>, boards: BoardScopes): RowProblem[] {
	const out: RowProblem[] = [];
	rows.forEach((after, index) => {
		const before = stored.get(after.id) ?? null;
		if (before?.site && !canSeeSite(p, before.site)) {
			out.push({ index, field: 'id', message: `commitment ${after.id} ships from ${before.site}, a site you do not follow` });
			return;
		}
		if (before && before.board !== after.board) out.push({ index, field: 'board', message: `commitment ${after.id} is on board ${before.board}` });
		const board = boards.get(after.board);
		if (board && 'refusal' in board) out.push({ index, field: 'board', message: board.refusal });
		// Like the REST PATCH: a site placed before the scope narrowed may stay where it is.
		const outside = board && 'scope' in board && after.site !== before?.site ? siteScopeRefusal(after.board, board.scope, after.site) : null;
		if (outside) out.push({ index, field: 'site', message: outside });
		for (const v of fieldViolations(role, before, after)) out.push({ index, field: COLUMN[v.field] ?? v.field, message: v.message });
		if (after.site && !canSeeSite(p, after.site)) out.push({ index, field: 'site', message: `you do not follow site ${after.site}` });
	});
	return out;
}

/**
 * Checks every row, then writes them all, or writes nothing and answers the problems. Without board
 * documents: one transaction, the policy re-checked against the locked rows. With them, each
 * document is the truth for its cards: rows are checked against the stored commitments first, so a
 * refusal cannot stop the import halfway, then written card by card through the board, which checks
 * each again against its card.
 */
export async function importCommitments(d: CommitmentImportDeps, p: Principal, role: Role, rows: ImportedCommitment[], dryRun: boolean): Promise<RowProblem[]> {
	const ids = rows.map((r) => r.id);
	const label = principalLabel(p);
	const boards = await boardScopes(d, rows);
	if (dryRun || d.board) {
		const stored = await d.repos.commitments.getMany(ids);
		const list = complete(rows, stored, label);
		const problems = checkRows(p, role, list, stored, boards);
		if (problems.length || dryRun || !d.board) return problems;
		const board = d.board;
		for (const c of list) {
			await board.apply(c.board, c.id, (current) => {
				const violations = fieldViolations(role, current, c);
				if (violations.length) throw new Error(`commitment ${c.id} changed during the import: ${violations[0].message}`);
				return c;
			}, label);
		}
		return [];
	}
	let pairs: PairKey[] = [];
	const problems = await d.sql.begin(async (tx) => {
		const stored = await d.repos.commitments.lockMany(tx, ids);
		const list = complete(rows, stored, label);
		const found = checkRows(p, role, list, stored, boards);
		if (found.length) return found;
		await d.repos.commitments.upsertMany(tx, list);
		pairs = uniquePairs(list.flatMap((c) => [pairOf(stored.get(c.id)), pairOf(c)]));
		await d.repos.catalog.registerUnknown(tx, [...new Set(list.map((c) => c.sku))].sort(), [...new Set(pairs.map((k) => k.site))].sort());
		await d.repos.positions.markDirty(tx, pairs);
		return [];
	});
	if (problems.length === 0) await d.enqueue(pairs);
	return problems;
}

/** Each board the file names, opened once: its scope, or the reason (403/404) the importer may not write there. */
async function boardScopes(d: CommitmentImportDeps, rows: ImportedCommitment[]): Promise<BoardScopes> {
	const out: BoardScopes = new Map();
	for (const board of new Set(rows.map((r) => r.board))) {
		try {
			out.set(board, { scope: await d.openBoard(board) });
		} catch (err) {
			if (!(err instanceof AppError)) throw err;
			out.set(board, { refusal: err.message });
		}
	}
	return out;
}
