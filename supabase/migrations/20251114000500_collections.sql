-- Artifact collection (issue 4, DESIGN §3–§5): one row per artifact per collection, so the
-- dashboard shows downloads, SHA parity and progress live, and a window collection skips runs
-- already collected with the same digest; and one row per self-heal attempt (a parity re-download
-- or a re-run of failed jobs), with the time to heal against the 24 h objective.
create table if not exists collections (
  id bigint generated always as identity primary key,
  event text not null,
  run_id text not null,
  -- GitHub's run_attempt: a re-run is a new attempt of the same run and is collected again.
  run_attempt integer not null default 1 check (run_attempt >= 1),
  -- Null when the run had no artifacts: then the row records that its run record was collected.
  artifact_id text,
  artifact_name text,
  -- Lowercase hex SHA-256 of the zip as downloaded (checked against GitHub's digest when it sends one).
  zip_digest text,
  size bigint check (size >= 0),
  state text not null
    check (state in ('queued', 'downloading', 'extracting', 'comparing', 'done', 'failed', 'refused')),
  bytes bigint not null default 0 check (bytes >= 0),
  total bigint,
  sha_parity boolean,
  -- The extracted folder relative to the repository root (null for a dry run or a failure).
  artifact_path text,
  error text,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  actor text not null,
  dry_run boolean not null default false
);

create index if not exists collections_event_run_idx on collections (event, run_id, id desc);
create index if not exists collections_dry_run_idx on collections (id desc) where dry_run;

create table if not exists self_heal_attempts (
  id bigint generated always as identity primary key,
  event text not null,
  run_id text not null,
  kind text not null check (kind in ('parity-redownload', 'rerun-failed-jobs')),
  attempt integer not null check (attempt between 1 and 3),
  -- Why the attempt was made (the annotation or parity result that decided it), never a secret.
  decided_because text not null,
  requested_at timestamptz not null default now(),
  outcome text not null check (outcome in ('requested', 'already-done', 'healed', 'failed', 'exhausted')),
  -- Heal time = first failure → success (DESIGN §6), checked against the 24 h objective.
  first_failure_at timestamptz,
  resolved_at timestamptz,
  heal_sec double precision check (heal_sec >= 0),
  within_objective boolean,
  actor text not null
);

create index if not exists self_heal_attempts_run_idx on self_heal_attempts (run_id, id);

-- Every signed-in role reads; only the server writes (it connects as the owner), so no client
-- role gets a write grant or policy.
grant select on collections, self_heal_attempts to authenticated;
alter table collections enable row level security;
alter table self_heal_attempts enable row level security;

do $$
declare
  t text;
begin
  foreach t in array array['collections', 'self_heal_attempts']
  loop
    execute format('drop policy if exists %I on %I', t || '_read', t);
    execute format($p$create policy %I on %I for select to authenticated
      using (public.auditloop_is('observer', 'operator', 'reviewer', 'commander'))$p$, t || '_read', t);
    -- Live updates, as 20251114000300_change_feed.sql does for the other tables.
    execute format('drop trigger if exists %I on %I', t || '_feed_insert', t);
    execute format('drop trigger if exists %I on %I', t || '_feed_update', t);
    execute format('drop trigger if exists %I on %I', t || '_feed_delete', t);
    execute format(
      'create trigger %I after insert on %I referencing new table as changed for each statement '
      'execute function public.change_feed_record(%L)', t || '_feed_insert', t, 'run_id');
    execute format(
      'create trigger %I after update on %I referencing new table as changed for each statement '
      'execute function public.change_feed_record(%L)', t || '_feed_update', t, 'run_id');
    execute format(
      'create trigger %I after delete on %I referencing old table as changed for each statement '
      'execute function public.change_feed_record(%L)', t || '_feed_delete', t, 'run_id');
  end loop;
end
$$;
