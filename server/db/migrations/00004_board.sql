-- Card history: who changed what on a commitment, and when. Written by the board projection in the
-- same transaction as the commitment row it describes; reverted (forbidden) edits are kept too.
create table commitment_history (
	id bigserial primary key,
	commitment_id text not null,
	board_id text not null,
	at timestamptz not null default now(),
	actor text not null,
	kind text not null check (kind in ('create', 'change', 'revert')),
	field text,
	old_value text,
	new_value text
);
create index commitment_history_commitment on commitment_history (commitment_id, id);
