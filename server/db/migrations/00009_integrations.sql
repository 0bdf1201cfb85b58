-- Integrations (issue 14): metrics tokens and alert webhooks.

-- A token that may only scrape GET /metrics (Prometheus).
alter table api_tokens drop constraint if exists api_tokens_scope_check;
alter table api_tokens add constraint api_tokens_scope_check check (scope in ('ingest', 'read', 'display', 'metrics'));

create table webhooks (
	id uuid primary key default gen_random_uuid(),
	url text not null,
	format text not null check (format in ('json', 'slack', 'teams')),
	min_severity text not null check (min_severity in ('critical', 'high', 'medium', 'low')),
	-- null: every kind / every site
	kinds text[],
	sites text[],
	-- kept in clear: the HMAC needs it on every delivery; never answered after creation
	secret text not null,
	created_by text,
	created_at timestamptz not null default now(),
	-- consecutive failed attempts across deliveries; reaching the limit pauses the hook
	consecutive_failures int not null default 0,
	paused_at timestamptz,
	paused_reason text
);

-- Where the dispatcher stands in the outbox: one row, advanced in the transaction that records the
-- deliveries, so an alert change becomes deliveries once however many worker processes run.
create table webhook_cursor (
	id boolean primary key default true check (id),
	seq bigint not null
);
insert into webhook_cursor (seq) select coalesce(max(seq), 0) from outbox;

create table webhook_deliveries (
	id uuid primary key,
	webhook_id uuid not null references webhooks (id) on delete cascade,
	-- the outbox row of the alert change: (hook, seq) is delivered once
	seq bigint not null,
	alert_id uuid,
	change text,
	-- the exact bytes POSTed on every attempt, so a retry carries the same body and signature
	body text not null,
	status text not null default 'pending' check (status in ('pending', 'delivered', 'failed', 'held')),
	attempts int not null default 0,
	created_at timestamptz not null default now(),
	delivered_at timestamptz,
	unique (webhook_id, seq)
);
create index webhook_deliveries_recent on webhook_deliveries (webhook_id, created_at desc);
create index webhook_deliveries_pending on webhook_deliveries (created_at) where status = 'pending';

create table webhook_attempts (
	id bigserial primary key,
	delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
	attempt int not null,
	at timestamptz not null default now(),
	ok boolean not null,
	status_code int,
	duration_ms int not null,
	error text
);
create index webhook_attempts_delivery on webhook_attempts (delivery_id, id);
