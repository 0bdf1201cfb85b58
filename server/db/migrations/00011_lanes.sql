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

-- Applying, requesting an option and re-planning are recorded in the activity feed.
alter table activity_log drop constraint activity_log_source_check;
alter table activity_log add constraint activity_log_source_check check (source in ('signal', 'lifecycle', 'import', 'option'));
