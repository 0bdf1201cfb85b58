-- Demand signals, lifecycle and import activity, KPI history, fast SKU search (issue 7).

-- Demand signals from sales: forecast demand per SKU×site, counted apart from firm commitments.
create table demand_signals (
	id uuid primary key default gen_random_uuid(),
	sku text not null,
	site text not null,
	kind text not null check (kind in ('volume', 'promotion', 'fading')),
	customer text,
	qty integer check (qty > 0),
	per text check (per in ('week', 'month', 'total')),
	start_date date not null,
	end_date date check (end_date is null or end_date >= start_date),
	note text not null default '',
	created_by text not null,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	withdrawn_at timestamptz,
	withdrawn_by text
);
-- The engine reads the live signals of each SKU×site it recomputes.
create index demand_signals_live_pair on demand_signals (sku, site) where withdrawn_at is null;
create index demand_signals_sku on demand_signals (sku, created_at desc);

-- What people did that no other table keeps: signals, lifecycle changes (with their reason), imports.
-- The activity feed unions it with inventory events, card history and alert acknowledgements.
create table activity_log (
	id bigserial primary key,
	at timestamptz not null default now(),
	actor text,
	source text not null check (source in ('signal', 'lifecycle', 'import')),
	sku text,
	site text,
	summary text not null,
	detail jsonb not null default '{}'
);
create index activity_log_sku on activity_log (sku, at desc) where sku is not null;
create index activity_log_site on activity_log (site, at desc) where site is not null;
create index activity_log_at on activity_log (at desc);

-- Who posted an event (a user's e-mail or a token's name), for the activity feed. Null: before this column.
alter table inventory_events add column actor text;
-- The per-site feed reads a site's latest events; (sku, site, at) serves the per-SKU one.
create index inventory_events_site_at on inventory_events (site, at desc);

-- One row per day and scope ('*' for every site, else a site code), rewritten through the day, so the
-- last value of a day stands for it. Point-in-time figures (at risk, stockouts) have no other history.
create table kpi_daily (
	scope text not null,
	day date not null,
	fill_rate double precision,
	otif double precision,
	shipped integer not null default 0,
	at_risk integer not null default 0,
	short integer not null default 0,
	stockouts integer not null default 0,
	late_inbound integer not null default 0,
	backorder_age_days integer,
	taken_at timestamptz not null default now(),
	primary key (scope, day)
);

-- OTIF finds the commitments shipped in a day, then sums every shipment made against each.
create index inventory_events_shipped_at on inventory_events (at) where type = 'shipment' and commitment is not null;
create index inventory_events_commitment on inventory_events (commitment) where commitment is not null;

-- SKU list search over 100,000+ SKUs: one lower-cased column of code and name with a trigram index
-- serves a substring search as a case-sensitive LIKE (ILIKE under a UTF-8 collation costs several times
-- more per row, and two indexed columns would need two index scans and a BitmapOr).
create extension if not exists pg_trgm;
alter table skus add column search text generated always as (lower(code) || ' ' || lower(name)) stored;
-- fastupdate off: a catalog is read far more than written, and a pending list (filled by a bulk
-- import, flushed only by vacuum) is scanned linearly by every search until then.
create index skus_search_trgm on skus using gin (search gin_trgm_ops) with (fastupdate = off);
-- No index on name: with one, "search + sort by name" walks it and filters row by row, which is slow
-- whenever the matches sit at the far end; a bitmap scan of the matches and a sort is never slow.
create index skus_lifecycle on skus (lifecycle, code);
