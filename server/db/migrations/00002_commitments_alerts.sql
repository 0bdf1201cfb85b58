-- Commitments: projected from the board documents (a later issue); the engine reads this table.
create table commitments (
	id text primary key,
	board_id text not null default 'main',
	customer text not null,
	sku text not null,
	qty integer not null check (qty > 0),
	requested_date date,
	promised_date date,
	site text,
	status text not null default 'requested' check (status in ('requested', 'confirmed', 'shipped', 'cancelled')),
	owner text,
	priority integer not null default 0,
	notes text not null default '',
	risk text not null default 'unknown' check (risk in ('ok', 'at_risk', 'short', 'unknown')),
	short_qty integer not null default 0,
	earliest_date date,
	checked_at timestamptz,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now()
);
create index commitments_sku_site on commitments (sku, site) where status in ('requested', 'confirmed');
create index commitments_board on commitments (board_id);

create table alerts (
	id uuid primary key default gen_random_uuid(),
	kind text not null,
	severity text not null check (severity in ('critical', 'high', 'medium', 'low')),
	subject_key text not null,
	sku text,
	site text,
	commitment_id text,
	message text not null,
	status text not null default 'open' check (status in ('open', 'acknowledged', 'resolved')),
	opened_at timestamptz not null default now(),
	acknowledged_by text,
	acknowledged_at timestamptz,
	resolved_at timestamptz
);
-- One open (or acknowledged, not yet resolved) alert per kind and subject.
create unique index alerts_one_live on alerts (kind, subject_key) where status <> 'resolved';
create index alerts_status on alerts (status, opened_at desc);
