-- Several web nodes hold one board: the commitments table follows the stored update log, not any
-- node's memory. `board_projections` is how far each board's log has been projected; a projector
-- holds its row FOR UPDATE, so two nodes never project the same rows twice or out of order.
create table board_projections (
	board_id text primary key,
	upto_id bigint not null default 0,
	updated_at timestamptz not null default now()
);

-- Who changed which card fields in a saved batch ({card: {field: actor}}): the projection writes the
-- card history from it, whichever node projects the rows.
alter table board_updates add column authors jsonb;
