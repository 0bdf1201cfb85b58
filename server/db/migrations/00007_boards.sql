-- Boards and their site scope (CONTRACT "Additions of wave 2"). `sites` null means every site; a
-- list means only those. The id is the board's Yjs path (/yjs/<id>) and follows the same rule.
create table boards (
	id text primary key check (id ~ '^[A-Za-z0-9_-]{1,64}$'),
	name text not null,
	sites text[] check (sites is null or cardinality(sites) > 0),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);

-- The default board, and every board that already has commitments or a document, keep working
-- for everyone who could open them before: scope all.
insert into boards (id, name, sites) values ('main', 'Main board', null);
insert into boards (id, name, sites)
select distinct board_id, board_id, null::text[] from (
	select board_id from commitments
	union select board_id from board_updates
	union select board_id from board_snapshots
) b
where board_id ~ '^[A-Za-z0-9_-]{1,64}$'
on conflict (id) do nothing;

-- A display token belongs to one board. Tokens of other scopes belong to none. Display tokens made
-- before boards existed showed `main`, so that is the board they keep.
alter table api_tokens add column board_id text references boards (id);
update api_tokens set board_id = 'main' where scope = 'display';
alter table api_tokens add constraint api_tokens_display_board check ((scope = 'display') = (board_id is not null));
