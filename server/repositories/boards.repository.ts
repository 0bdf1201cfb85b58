import type { AdminBoard } from '../../src/lib/contract/admin.ts';
import type { Sql, TxSql } from '../db/database.ts';

export interface BoardRow {
	id: string;
	name: string;
	/** Null: every site. */
	sites: string[] | null;
}

type Stored = BoardRow & { createdAt: Date; updatedAt: Date };

const toAdmin = (r: Stored): AdminBoard => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });

/** Boards and their site scope (migration 00007). Board documents themselves live in board_updates. */
export class BoardsRepository {
	constructor(private readonly sql: Sql) {}

	async list(): Promise<AdminBoard[]> {
		const rows = await this.sql<Stored[]>`select id, name, sites, created_at, updated_at from boards order by id`;
		return rows.map(toAdmin);
	}

	async get(id: string, sql: Sql | TxSql = this.sql): Promise<BoardRow | null> {
		const [row] = await sql<BoardRow[]>`select id, name, sites from boards where id = ${id}`;
		return row ?? null;
	}

	/** The row for update, so two admins changing one board apply one after the other. */
	async lockForUpdate(tx: TxSql, id: string): Promise<BoardRow | null> {
		const [row] = await tx<BoardRow[]>`select id, name, sites from boards where id = ${id} for update`;
		return row ?? null;
	}

	/** False when a board with this id exists already (nothing is changed then). */
	async create(tx: Sql | TxSql, b: BoardRow): Promise<boolean> {
		const rows = await tx`
			insert into boards (id, name, sites) values (${b.id}, ${b.name}, ${b.sites === null ? null : tx.array(b.sites)})
			on conflict (id) do nothing returning id
		`;
		return rows.length === 1;
	}

	async update(tx: TxSql, id: string, change: { name?: string; sites?: string[] | null }): Promise<AdminBoard | null> {
		const [row] = await tx<Stored[]>`
			update boards set
				name = ${change.name === undefined ? tx`name` : change.name},
				sites = ${change.sites === undefined ? tx`sites` : change.sites === null ? null : tx.array(change.sites)},
				updated_at = now()
			where id = ${id}
			returning id, name, sites, created_at, updated_at
		`;
		return row ? toAdmin(row) : null;
	}

	async getAdmin(id: string): Promise<AdminBoard | null> {
		const [row] = await this.sql<Stored[]>`select id, name, sites, created_at, updated_at from boards where id = ${id}`;
		return row ? toAdmin(row) : null;
	}

	/** Ids of the boards whose whole scope lies within `sites` (boards of every site never do). */
	async coveredBy(sites: string[]): Promise<string[]> {
		const rows = await this.sql<{ id: string }[]>`
			select id from boards where sites is not null and sites <@ ${this.sql.array(sites)}::text[] order by id
		`;
		return rows.map((r) => r.id);
	}
}
