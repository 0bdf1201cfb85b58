-- Who writes under which Yjs client id on a board. Yjs trusts a struct's (client, clock) id: a peer
-- that wrote under someone else's id could take the clocks of their offline edits, which would then
-- be dropped as duplicates. The first principal to write under an id owns it, across nodes and restarts.
create table board_clients (
	board_id text not null,
	client_id bigint not null,
	owner text not null,
	claimed_at timestamptz not null default now(),
	primary key (board_id, client_id)
);

-- Refused board edits are recorded (kind 'refused'); 'revert' stays for rows of the revert era.
alter table commitment_history drop constraint commitment_history_kind_check;
alter table commitment_history add constraint commitment_history_kind_check check (kind in ('create', 'change', 'revert', 'refused'));
