-- Transit days between two sites (issue 13): how long stock shipped from one site takes to reach
-- another, so "ship from another site" options know when it must leave. One row per direction.
create table lanes (
	from_site text not null references sites (code) on update cascade on delete cascade,
	to_site text not null references sites (code) on update cascade on delete cascade,
	transit_days integer not null check (transit_days between 0 and 365),
	updated_at timestamptz not null default now(),
	primary key (from_site, to_site),
	check (from_site <> to_site)
);
