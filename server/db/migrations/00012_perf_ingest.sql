-- Incremental fold (issue 12). A position keeps the fold it was computed from (state plus the cursor
-- it covers), so a recompute reads and folds only the events from that cursor on.
alter table positions add column fold jsonb;
-- The earliest event time inserted since the pair was last folded clean. An event that sorts before
-- the stored cursor arrived late: the recompute then folds the pair from scratch.
alter table position_dirty add column late_from timestamptz;

-- The SKU list's searches run for ~10 ms; a parallel plan on two shared cores spends more starting its
-- worker and merging than it saves (search + site + sort by name: p50 33 → 16 ms measured).
alter table skus set (parallel_workers = 0);
