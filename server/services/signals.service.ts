import { signalLabel } from '../../src/lib/core/forecast.ts';
import {
	createSignalSchema,
	listSignalsQuerySchema,
	updateSignalSchema,
	type DemandSignal,
	type UpdateSignal
} from '../../src/lib/contract/signals.ts';
import { can, canSeeSite, principalLabel, visibleSites, type Principal } from '../../src/lib/policy/access.policy.ts';
import type { Sql, TxSql } from '../db/database.ts';
import type { RecomputeProducer } from './jobs.port.ts';
import type { Logger } from '../logger.ts';
import type { SignalValues } from '../repositories/signals.repository.ts';
import { parse } from './validate.ts';
import { BadRequestError, ForbiddenError, NotFoundError } from './errors.ts';
import type { Repositories } from '../repositories/repositories.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SignalsDeps {
	sql: Sql;
	repos: Pick<Repositories, 'signals' | 'skus' | 'imports' | 'positions' | 'activity'>;
	queue: RecomputeProducer;
	log: Logger;
}

/**
 * Demand signals: what sales knows ahead of the numbers. Every write marks its SKU×site dirty in the
 * same transaction, so the engine recounts the forecast and raises or clears the alert it calls for.
 */
export class SignalsService {
	constructor(private readonly d: SignalsDeps) {}

	list(p: Principal, query: unknown): Promise<DemandSignal[]> {
		if (!can(p, 'positions:read')) throw new ForbiddenError('your access may not read signals');
		const q = parse(listSignalsQuerySchema, query ?? {}, 'query');
		return this.d.repos.signals.list({ sku: q.sku, site: q.site, all: q.all === '1', sites: visibleSites(p), limit: q.limit });
	}

	async create(p: Principal, body: unknown): Promise<DemandSignal> {
		const actor = this.writer(p);
		const input = parse(createSignalSchema, body, 'body');
		if (!canSeeSite(p, input.site)) throw new ForbiddenError(`you do not follow site ${input.site}`);
		const signal = await this.d.sql.begin(async (tx) => {
			if (!(await this.d.repos.skus.get(tx, input.sku))) throw new BadRequestError('unknown SKU', [{ path: 'sku', message: `no SKU ${input.sku}` }]);
			if (!(await this.d.repos.imports.existingSites([input.site], tx)).size) {
				throw new BadRequestError('unknown site', [{ path: 'site', message: `no site ${input.site}` }]);
			}
			const row = await this.d.repos.signals.create(tx, { sku: input.sku, site: input.site, ...values(input), createdBy: actor });
			await this.changed(tx, row, actor, 'recorded');
			return row;
		});
		await this.enqueue(signal);
		return signal;
	}

	async update(p: Principal, id: string, body: unknown): Promise<DemandSignal> {
		const actor = this.writer(p);
		const input = parse(updateSignalSchema, body, 'body');
		const signal = await this.d.sql.begin(async (tx) => {
			await this.visible(p, tx, id);
			const row = await this.d.repos.signals.update(tx, id, values(input));
			if (!row) throw new NotFoundError('this signal was withdrawn');
			await this.changed(tx, row, actor, 'changed');
			return row;
		});
		await this.enqueue(signal);
		return signal;
	}

	async withdraw(p: Principal, id: string): Promise<DemandSignal> {
		const actor = this.writer(p);
		const signal = await this.d.sql.begin(async (tx) => {
			await this.visible(p, tx, id);
			const row = await this.d.repos.signals.withdraw(tx, id, actor);
			if (!row) throw new NotFoundError('this signal was withdrawn already');
			await this.changed(tx, row, actor, 'withdrew');
			return row;
		});
		await this.enqueue(signal);
		return signal;
	}

	private writer(p: Principal): string {
		if (!can(p, 'signals:write')) throw new ForbiddenError('your role may not record demand signals');
		return principalLabel(p);
	}

	private async visible(p: Principal, tx: TxSql, id: string): Promise<DemandSignal> {
		const row = UUID.test(id) ? await this.d.repos.signals.get(tx, id) : null;
		if (!row || !canSeeSite(p, row.site)) throw new NotFoundError('no such signal');
		return row;
	}

	private async changed(tx: TxSql, s: DemandSignal, actor: string, verb: string): Promise<void> {
		const note = s.note ? ` (${s.note.length > 80 ? `${s.note.slice(0, 80)}…` : s.note})` : '';
		await this.d.repos.activity.record(tx, {
			actor,
			source: 'signal',
			sku: s.sku,
			site: s.site,
			summary: `${verb} signal on ${s.sku} @ ${s.site}: ${signalLabel(s)}${note}`,
			detail: { id: s.id }
		});
		await this.d.repos.positions.markDirty(tx, [{ sku: s.sku, site: s.site }]);
	}

	private async enqueue(s: DemandSignal): Promise<void> {
		try {
			await this.d.queue.enqueue([{ sku: s.sku, site: s.site }]);
		} catch (err) {
			// The pair is marked dirty in Postgres; the reconciliation sweep picks it up.
			this.d.log.warn({ err }, 'enqueue after a signal change failed; left to the sweep');
		}
	}
}

function values(s: UpdateSignal): SignalValues {
	return {
		kind: s.kind,
		customer: s.customer || null,
		qty: s.kind === 'fading' ? null : (s.qty ?? null),
		per: s.kind === 'fading' ? null : s.kind === 'promotion' ? 'total' : (s.per ?? null),
		startDate: s.startDate,
		endDate: s.endDate ?? null,
		note: s.note ?? ''
	};
}
