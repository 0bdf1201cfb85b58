-- Catalog -------------------------------------------------------------------
create table sites (
	code text primary key,
	name text not null,
	time_zone text not null default 'UTC',
	-- registered on the fly from an event: flagged until the catalog says otherwise
	provisional boolean not null default false,
	created_at timestamptz not null default now()
);

create table skus (
	code text primary key,
	name text not null,
	unit text not null default 'ea',
	lifecycle text not null default 'mature'
		check (lifecycle in ('new', 'growth', 'mature', 'decline', 'end_of_life')),
	lead_time_days integer check (lead_time_days >= 0),
	provisional boolean not null default false,
	created_at timestamptz not null default now()
);

create table sku_sites (
	sku text not null references skus (code),
	site text not null references sites (code),
	safety_stock integer not null default 0 check (safety_stock >= 0),
	reorder_point integer check (reorder_point >= 0),
	primary key (sku, site)
);

-- Inventory events (append-only input, idempotent by id) --------------------
create table inventory_events (
	id text primary key,
	type text not null check (type in ('receipt', 'shipment', 'adjustment', 'count', 'transfer', 'po')),
	sku text not null,
	site text not null,
	qty integer not null,
	at timestamptz not null,
	po text,
	eta date,
	to_site text,
	commitment text,
	received_at timestamptz not null default now()
);
create index inventory_events_sku_site_at on inventory_events (sku, site, at, id);
create index inventory_events_transfer_in on inventory_events (sku, to_site) where to_site is not null;

-- Positions (projection of events, written by workers only) ----------------
create table positions (
	sku text not null,
	site text not null,
	on_hand integer not null default 0,
	allocated integer not null default 0,
	inbound integer not null default 0,
	backordered integer not null default 0,
	available integer not null default 0,
	-- the folded ledger (on hand, open inbound lines, backorders): reads need no event replay
	state jsonb not null default '{}',
	updated_at timestamptz not null default now(),
	primary key (sku, site)
);
create index positions_site on positions (site, sku);

-- What needs recomputing. Kept apart from positions so an ingest never waits on a worker's row lock.
-- Ingest bumps dirty_gen; a worker clears dirty_since only if the generation it read is still current.
create table position_dirty (
	sku text not null,
	site text not null,
	dirty_gen bigint not null default 0,
	clean_gen bigint not null default 0,
	dirty_since timestamptz,
	primary key (sku, site)
);
create index position_dirty_since on position_dirty (dirty_since) where dirty_since is not null;

-- Outbox: writers insert with no global lock; a sequencer (web nodes, one at a time) stamps
-- committed rows with seq, so seq order is visibility order and replay by seq misses nothing.
create table outbox (
	id bigserial primary key,
	seq bigint unique,
	topic text not null check (topic in ('position', 'alert')),
	site text,
	payload jsonb not null,
	created_at timestamptz not null default now()
);
create sequence outbox_seq;
create index outbox_unsequenced on outbox (id) where seq is null;
create index outbox_created_at on outbox (created_at);

-- People, sessions, tokens ---------------------------------------------------
create table users (
	id uuid primary key default gen_random_uuid(),
	email text not null unique,
	name text not null,
	role text not null check (role in ('admin', 'ops', 'sales', 'viewer')),
	password_hash text not null,
	disabled boolean not null default false,
	created_at timestamptz not null default now()
);

-- Sites a user follows; none means every site.
create table user_sites (
	user_id uuid not null references users (id) on delete cascade,
	site text not null references sites (code),
	primary key (user_id, site)
);

create table sessions (
	-- sha256 of the random token in the cookie: a leaked table does not leak sessions
	id text primary key,
	user_id uuid not null references users (id) on delete cascade,
	created_at timestamptz not null default now(),
	expires_at timestamptz not null,
	revoked_at timestamptz,
	ip text,
	user_agent text
);
create index sessions_user on sessions (user_id);

create table api_tokens (
	id uuid primary key default gen_random_uuid(),
	name text not null,
	scope text not null check (scope in ('ingest', 'read', 'display')),
	token_hash text not null unique,
	created_by uuid references users (id),
	created_at timestamptz not null default now(),
	revoked_at timestamptz
);

create table audit_log (
	id bigserial primary key,
	at timestamptz not null default now(),
	actor text,
	action text not null,
	detail jsonb not null default '{}'
);

-- Board documents (Yjs) --------------------------------------------------------
create table board_updates (
	id bigserial primary key,
	board_id text not null,
	update bytea not null,
	created_at timestamptz not null default now()
);
create index board_updates_board on board_updates (board_id, id);

create table board_snapshots (
	board_id text primary key,
	state bytea not null,
	upto_id bigint not null,
	updated_at timestamptz not null default now()
);
