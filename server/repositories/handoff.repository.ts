import type { HandoffNote, Shift } from '../../src/lib/contract/notifications.ts';
import type { Sql } from '../db/database.ts';

const COLUMNS = `site, shift_date as date, shift, body, author,
	to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as updated_at`;

export class HandoffRepository {
	constructor(private readonly sql: Sql) {}

	/** One note per site and shift: writing again replaces it (the shift edits its note until it hands over). */
	async save(n: { site: string; date: string; shift: Shift; body: string; author: string }): Promise<HandoffNote> {
		const rows = await this.sql.unsafe<HandoffNote[]>(
			`insert into handoff_notes (site, shift_date, shift, body, author) values ($1, $2, $3, $4, $5)
			on conflict (site, shift_date, shift) do update set body = excluded.body, author = excluded.author, updated_at = now()
			returning ${COLUMNS}`,
			[n.site, n.date, n.shift, n.body, n.author]
		);
		return rows[0];
	}

	/** Newest first, optionally for one site, limited to the sites the caller may see (null: all). */
	async list(site: string | undefined, sites: string[] | null, limit: number): Promise<HandoffNote[]> {
		return this.sql.unsafe<HandoffNote[]>(
			`select ${COLUMNS} from handoff_notes
			where ($1::text is null or site = $1) and ($2::text[] is null or site = any($2))
			order by shift_date desc, case shift when 'night' then 0 when 'late' then 1 else 2 end, site
			limit $3`,
			[site ?? null, sites as never, limit]
		);
	}

	/** The latest note of each site. */
	async latestPerSite(sites: string[] | null): Promise<HandoffNote[]> {
		return this.sql.unsafe<HandoffNote[]>(
			`select distinct on (site) ${COLUMNS} from handoff_notes
			where ($1::text[] is null or site = any($1))
			order by site, shift_date desc, case shift when 'night' then 0 when 'late' then 1 else 2 end`,
			[sites as never]
		);
	}
}
