-- The engine looks alerts up per SKU×site and lists them by status.
create index alerts_pair_live on alerts (sku, site) where status <> 'resolved';
-- Commitments are re-read per SKU×site at every recompute; cancelled and shipped ones never are.
drop index if exists commitments_sku_site;
create index commitments_open_pair on commitments (sku, site) where status in ('requested', 'confirmed');
-- The risk columns are written by the engine only when its verdict changes.
alter table commitments add column needs_po boolean not null default false;
-- Risk verdicts travel to open boards (and sockets) through the outbox like positions and alerts.
alter table outbox drop constraint outbox_topic_check;
alter table outbox add constraint outbox_topic_check check (topic in ('position', 'alert', 'commitment'));
