import type { CommitmentWithRisk, PatchCommitment } from '../../src/lib/contract/commitments.ts';
import { APPLIED_MARK, REQUEST_MARK, type OptionsResponse, type ReplanApply, type ReplanResponse } from '../../src/lib/contract/options.ts';
import type { LedgerState } from '../../src/lib/core/ledger.ts';
import { commitmentOptions, type PromiseOption } from '../../src/lib/core/options.ts';
import type { Move, SkuSituation } from '../../src/lib/core/options.situation.ts';
import { replan } from '../../src/lib/core/replan.ts';
import { fieldViolations, type CommitmentValues } from '../../src/lib/policy/commitment-fields.policy.ts';
import { can, canSeeSite, principalLabel, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import { siteInScope } from '../../src/lib/policy/board-scope.policy.ts';
import type { Sql } from '../db/database.ts';
import { availabilityInput, EMPTY_LEDGER } from './availability.input.ts';
import type { BoardsService } from './boards.service.ts';
import type { CommitmentsService } from './commitments.service.ts';
import { AppError, ForbiddenError, NotFoundError } from './errors.ts';
import type { Repositories } from '../repositories/repositories.ts';

const STALE = 'the situation changed since this was computed; look at the options again';

/**
 * Keeping a broken promise (CONTRACT wave 2). Options and re-plans are computed by the pure core on a
 * consistent snapshot of the SKU's sites; applying one recomputes them first (a stale option id is a
 * 409) and writes through CommitmentsService, so the board document, field ownership and the card
 * history apply exactly as for any other edit.
 */
export class OptionsService {
	constructor(
		private readonly sql: Sql,
		private readonly repos: Pick<Repositories, 'positions' | 'catalog' | 'commitments' | 'lanes' | 'activity'>,
		private readonly commitments: CommitmentsService,
		private readonly boards: BoardsService
	) {}

	/** The SKU at every site the reader sees (and the board's scope allows), read in one snapshot. */
	private async situation(p: Principal, sku: string, site: string, scope: string[] | null): Promise<SkuSituation> {
		const visible = visibleSites(p);
		const sites = [...new Set([site, ...(await this.repos.positions.sitesFor(sku, visible))])].filter((s) => s === site || siteInScope(scope, s));
		return this.sql.begin('isolation level repeatable read read only', async (tx) => {
			const now = new Date();
			const inputs = await Promise.all(
				sites.map(async (s) => {
					const [state, params, open] = await Promise.all([
						this.repos.positions.ledgerState(tx, { sku, site: s }),
						this.repos.catalog.skuSiteParams(sku, s, tx),
						this.repos.commitments.openForPair(tx, sku, s)
					]);
					return { site: s, input: availabilityInput(params, (state as LedgerState | null) ?? EMPTY_LEDGER, open, now) };
				})
			);
			const lanes = await this.repos.lanes.list(sites, tx);
			return { sites: inputs, lanes: lanes.map((l) => ({ from: l.fromSite, to: l.toSite, transitDays: l.transitDays })) };
		});
	}

	private async load(p: Principal, id: string) {
		const c = await this.repos.commitments.get(this.sql, id);
		if (!c || (c.site && !canSeeSite(p, c.site))) throw new NotFoundError(`no commitment ${id}`);
		const scope = await this.boards.open(p, c.board);
		return { c, scope };
	}

	private async compute(p: Principal, id: string) {
		const { c, scope } = await this.load(p, id);
		if (!c.site || (c.status !== 'confirmed' && c.status !== 'requested')) return { c, result: { commitmentId: id, risk: c.risk, options: [] as PromiseOption[] } };
		return { c, result: commitmentOptions(await this.situation(p, c.sku, c.site, scope), id) };
	}

	async options(p: Principal, id: string): Promise<OptionsResponse> {
		const { result } = await this.compute(p, id);
		return { ...result, options: result.options.map(({ moves: _moves, ...view }) => view) };
	}

	/**
	 * Applies one option as the caller: every write is checked against field ownership before the
	 * first one lands (403 naming the fields), then written in an order that never loses quantity.
	 */
	async apply(p: Principal, id: string, optionId: string, note?: string): Promise<CommitmentWithRisk[]> {
		if (p.kind !== 'user' || !can(p, 'commitments:write')) throw new ForbiddenError('your role may not change commitments');
		const { c, result } = await this.compute(p, id);
		const option = result.options.find((o) => o.id === optionId);
		if (!option) throw new AppError(409, STALE);
		const writes = this.plan(c, option);
		const violations = writes.flatMap((w) => fieldViolations(p.role, w.before, w.after));
		// Expediting changes no card field, but chasing a supplier is ops' work: sales asks for it.
		if (option.kind === 'expedite' && p.role !== 'ops' && p.role !== 'admin') violations.push({ field: '*', message: 'ops expedites inbound lines; ask for it instead' });
		if (violations.length) {
			const fields = [...new Set(violations.map((v) => v.field))];
			throw new AppError(403, `your role may not apply this option: it sets ${fields.join(', ')}`, violations.map((v) => ({ path: v.field, message: v.message })));
		}
		// Every commitment it moves must be one the caller may write, before the first write lands.
		for (const m of option.moves) {
			if (m.kind !== 'update' || m.id === c.id) continue;
			const other = await this.repos.commitments.get(this.sql, m.id);
			if (!other || (other.site && !canSeeSite(p, other.site))) throw new AppError(409, STALE);
			await this.boards.open(p, other.board);
		}
		const changed: CommitmentWithRisk[] = [];
		for (const m of option.moves) {
			if (m.kind !== 'create') continue;
			changed.push(
				await this.commitments.create(p, {
					id: m.id,
					board: c.board,
					customer: c.customer,
					sku: c.sku,
					qty: m.qty,
					requestedDate: c.requestedDate,
					promisedDate: m.promisedDate,
					site: m.site,
					status: 'confirmed',
					owner: c.owner,
					priority: c.priority,
					notes: `split from ${c.id}`
				})
			);
		}
		const line = `${APPLIED_MARK} ${option.summary} (${principalLabel(p)})${note ? ` — ${note}` : ''}`;
		for (const m of option.moves) {
			if (m.kind !== 'update') continue;
			const row = m.id === c.id ? c : await this.repos.commitments.get(this.sql, m.id);
			if (!row) throw new AppError(409, STALE);
			const patch: PatchCommitment = changes(row, m);
			if (m.id === c.id) patch.notes = withLine(clearRequests(row.notes), line);
			else patch.notes = withLine(row.notes, `${APPLIED_MARK} moved to ${m.promisedDate} for ${c.id} (${principalLabel(p)})`);
			changed.push(await this.commitments.patch(p, m.id, patch));
		}
		// An expedite changes no commitment: the card records what was asked of the supplier.
		if (!option.moves.some((m) => m.kind === 'update' && m.id === c.id)) {
			changed.unshift(await this.commitments.patch(p, c.id, { notes: withLine(clearRequests(c.notes), line) }));
		}
		await this.record(p, c, `applied an option to ${c.id}: ${option.summary}`, { commitmentId: c.id, option: option.id, kind: option.kind, changed: changed.map((x) => x.id) });
		return changed;
	}

	/** Sales (or anyone who may write) asks for an option: a marked line in the card's notes, seen live. */
	async request(p: Principal, id: string, optionId: string, note?: string): Promise<CommitmentWithRisk> {
		const { c, result } = await this.compute(p, id);
		const option = result.options.find((o) => o.id === optionId);
		if (!option) throw new AppError(409, STALE);
		const line = `${REQUEST_MARK} ${option.summary} (${principalLabel(p)})${note ? ` — ${note}` : ''}`;
		const stored = await this.commitments.patch(p, id, { notes: withLine(c.notes, line) });
		await this.record(p, c, `asked for an option on ${c.id}: ${option.summary}`, { commitmentId: c.id, option: option.id, kind: option.kind });
		return stored;
	}

	/** One line in the activity feed beside the card's own field-by-field history. */
	private record(p: Principal, c: { sku: string; site: string | null }, summary: string, detail: Record<string, unknown>): Promise<void> {
		return this.repos.activity.record(this.sql, { actor: principalLabel(p), source: 'option', sku: c.sku, site: c.site, summary, detail });
	}

	private plan(c: CommitmentWithRisk, option: PromiseOption): { before: CommitmentValues | null; after: CommitmentValues }[] {
		return option.moves.flatMap((m: Move): { before: CommitmentValues | null; after: CommitmentValues }[] => {
			if (m.kind === 'create') return [{ before: null, after: { ...c, qty: m.qty, promisedDate: m.promisedDate, site: m.site, status: 'confirmed' } }];
			if (m.kind === 'update' && m.id === c.id) return [{ before: c, after: { ...c, ...changes(c, m) } }];
			// Moving another commitment's date is an ops change whoever it belongs to.
			if (m.kind === 'update') return [{ before: { promisedDate: null }, after: { promisedDate: m.promisedDate } }];
			return [];
		});
	}

	async replanView(p: Principal, sku: string, site: string): Promise<ReplanResponse> {
		if (!canSeeSite(p, site)) throw new NotFoundError(`no position for ${sku} at ${site}`);
		const sit = await this.situation(p, sku, site, [site]);
		return { sku, site, ...replan(sit.sites[0].input) };
	}

	/** Applies a re-plan exactly as shown: 409 unless the fresh proposal is what `expect` says. */
	async replanApply(p: Principal, body: ReplanApply): Promise<CommitmentWithRisk[]> {
		if (p.kind !== 'user' || (p.role !== 'ops' && p.role !== 'admin')) throw new ForbiddenError('only ops and admins re-plan');
		const view = await this.replanView(p, body.sku, body.site);
		const fresh = view.after.map((r) => `${r.commitmentId}\u0000${r.promisedDate}`).sort();
		const expected = body.expect.map((r) => `${r.commitmentId}\u0000${r.promisedDate}`).sort();
		if (fresh.join('\u0001') !== expected.join('\u0001')) throw new AppError(409, STALE);
		const changed: CommitmentWithRisk[] = [];
		for (let i = 0; i < view.after.length; i++) {
			const [b, a] = [view.before[i], view.after[i]];
			if (a.promisedDate === b.promisedDate) continue;
			changed.push(await this.commitments.patch(p, a.commitmentId, { promisedDate: a.promisedDate }));
		}
		await this.record(p, body, `re-planned ${body.sku} at ${body.site}: ${changed.length} date${changed.length === 1 ? '' : 's'} moved`, { changed: changed.map((x) => x.id) });
		return changed;
	}
}

function changes(row: { qty: number; site: string | null; promisedDate: string | null }, m: Extract<Move, { kind: 'update' }>): PatchCommitment {
	const patch: PatchCommitment = {};
	if (m.qty !== row.qty) patch.qty = m.qty;
	if (m.site !== row.site) patch.site = m.site;
	if (m.promisedDate !== row.promisedDate) patch.promisedDate = m.promisedDate;
	return patch;
}

function withLine(notes: string, line: string): string {
	return notes ? `${notes.replace(/\n+$/, '')}\n${line}` : line;
}

/** A request is answered once an option is applied: its mark goes. */
function clearRequests(notes: string): string {
	return notes
		.split('\n')
		.filter((l) => !l.startsWith(REQUEST_MARK))
		.join('\n');
}
