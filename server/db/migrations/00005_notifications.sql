-- Per-user toast preferences. No row means the defaults for the user's role (src/lib/core/notify.ts).
create table notification_prefs (
	user_id uuid primary key references users (id) on delete cascade,
	enabled boolean not null default true,
	role text not null check (role in ('ops', 'sales', 'all')),
	-- sites to be toasted about; empty means every site the user may see
	sites text[] not null default '{}',
	min_severity text not null check (min_severity in ('critical', 'high', 'medium', 'low')),
	updated_at timestamptz not null default now()
);

-- Shift handoff: one note per site and shift, rewritten until the shift hands over.
create table handoff_notes (
	site text not null references sites (code),
	shift_date date not null,
	shift text not null check (shift in ('early', 'late', 'night')),
	body text not null check (length(body) between 1 and 4000),
	author text not null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	primary key (site, shift_date, shift)
);
create index handoff_notes_recent on handoff_notes (updated_at desc);

-- The alert centre filters by these besides status.
create index alerts_recent on alerts (opened_at desc);

-- Highest seq pruned from the outbox by age: a replay from before it is incomplete, and says so
-- (the client then reloads its snapshot instead of silently missing rows).
create table outbox_horizon (
	only_row boolean primary key default true check (only_row),
	pruned_through bigint not null default 0
);
insert into outbox_horizon default values;
