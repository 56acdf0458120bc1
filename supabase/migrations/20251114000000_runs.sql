-- Runs mirror RUNS_SUMMARY.json (DESIGN §3, §9): the event files stay the evidence; this table
-- feeds live views and history. Column names are the file's field names.
create table if not exists runs (
  event text not null,
  run_id text not null,
  trigger_mode text not null,
  status text not null check (status in ('success', 'failure', 'cancelled')),
  sha_parity boolean not null,
  retries integer not null check (retries >= 0),
  retry_origin text,
  run_started_at_utc timestamptz not null,
  run_completed_at_utc timestamptz not null,
  duration_sec double precision not null check (duration_sec > 0),
  prov_sha text not null default '',
  computed_sha text not null default '',
  observer_run_id text not null default '',
  observer_notes text not null default '',
  window_days integer,
  retry_exhausted boolean,
  supabase_response_code integer,
  head_sha text,
  workflow_name text,
  branch text,
  source text check (source in ('manual', 'auto')),
  updated_at timestamptz not null default now(),
  primary key (event, run_id),
  check (run_started_at_utc <= run_completed_at_utc)
);

create index if not exists runs_completed_idx on runs (event, run_completed_at_utc);
