-- The runs mirror's bookkeeping (lib/db/runs-mirror.ts): per event, the digest of the
-- RUNS_SUMMARY.json content last mirrored into `runs`, so an unchanged file costs one lookup, and
-- one fingerprint per run, so a changed file writes only the runs that changed. A mirror writes in
-- batches (a transaction per batch keeps the embedded database answering everyone else), so one
-- mirror of an event at a time holds the lease.
create table if not exists runs_mirror_state (
  event text primary key,
  digest text not null default '',
  run_count integer not null default 0 check (run_count >= 0),
  -- JSON object run_id → fingerprint; null while a mirror is under way or after one was cut
  -- short: the next mirror then starts over. Kept as text: the database never looks inside it,
  -- and neither parsing it into jsonb nor compressing it is worth the time at 100,000 runs.
  fingerprints text,
  lease_token text,
  lease_until timestamptz,
  mirrored_at timestamptz
);
alter table runs_mirror_state alter column fingerprints set storage external;

-- Like `runs`: every role reads, operators write; the CLI and the server write as the owner.
grant select on runs_mirror_state to authenticated;
grant insert, update on runs_mirror_state to authenticated;
alter table runs_mirror_state enable row level security;

drop policy if exists runs_mirror_state_read on runs_mirror_state;
create policy runs_mirror_state_read on runs_mirror_state for select to authenticated
  using (public.auditloop_is('observer', 'operator', 'reviewer', 'commander'));
drop policy if exists runs_mirror_state_insert on runs_mirror_state;
create policy runs_mirror_state_insert on runs_mirror_state for insert to authenticated
  with check (public.auditloop_is('operator'));
drop policy if exists runs_mirror_state_update on runs_mirror_state;
create policy runs_mirror_state_update on runs_mirror_state for update to authenticated
  using (public.auditloop_is('operator')) with check (public.auditloop_is('operator'));
