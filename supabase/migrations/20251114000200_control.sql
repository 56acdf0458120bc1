-- The control room (DESIGN §7, §9, §12): accounts, metrics, checklist, decisions, kill switch,
-- retry history, KPI snapshots and the append-only, hash-chained audit log.
-- Row-level security expresses the roles: observer reads; operator writes evidence; reviewer
-- writes checklist and decisions; commander writes the kill switch. The role comes from
-- app_metadata only: users can set user_metadata themselves.

create or replace function public.auditloop_role() returns text language sql stable as $$
  select coalesce(auth.jwt() -> 'app_metadata' ->> 'role', '')
$$;

create or replace function public.auditloop_is(variadic roles text[]) returns boolean language sql stable as $$
  select public.auditloop_role() = any (roles)
$$;

-- Local accounts (embedded mode). Only the server reads them: no policy for any client role.
create table if not exists app_users (
  id uuid primary key default gen_random_uuid(),
  email text not null unique,
  role text not null check (role in ('observer', 'operator', 'reviewer', 'commander')),
  password_hash text not null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
alter table app_users enable row level security;

create table if not exists phase4_audit_metrics (
  run_id text primary key,
  status text not null,
  duration_sec double precision,
  validator_verdict text,
  prov_sha text,
  computed_sha text,
  created_at timestamptz,
  observed_at timestamptz,
  retries integer not null default 0 check (retries >= 0),
  retries_exhausted boolean not null default false,
  window_days integer,
  supabase_response_code integer,
  updated_at timestamptz not null default now()
);

create table if not exists checklist_steps (
  step integer primary key,
  title text not null,
  role text not null check (role in ('observer', 'operator', 'reviewer', 'commander')),
  verifiable_from text
);

insert into checklist_steps (step, title, role, verifiable_from) values
  (1, 'Secrets check passed (required present, recommended noted)', 'operator', 'last secrets check'),
  (2, 'Retry policy reviewed; the retry guard is green', 'operator', 'retry guard result'),
  (3, 'Phase 3 manual results imported into RUNS_SUMMARY.json', 'operator', 'runs with source=manual'),
  (4, 'Collection dry-run executed with a sample run id', 'operator', 'last dry-run'),
  (5, 'Artifacts collected; SHA parity checked; manifest updated atomically', 'operator', 'manifest entries'),
  (6, '_manifest.json validated (parses, no duplicate keys)', 'operator', 'manifest check'),
  (7, 'Observer run over window_days; KPIs and evidence aggregated', 'observer', 'last observer run'),
  (8, 'Retries applied only to 5xx/429, none over the limit', 'observer', 'retry history'),
  (9, 'Metrics upserted to Supabase; masked Slack summary stored in slack_excerpts/', 'observer', 'upsert results, excerpts'),
  (10, 'Kill switch runbook reviewed; restart criteria known', 'commander', null),
  (11, 'PHASE3_AUDIT_SUMMARY.md finalised', 'reviewer', null),
  (12, 'Go/No-Go recorded', 'reviewer', 'decision')
on conflict (step) do nothing;

create table if not exists checklist_state (
  event text not null,
  step integer not null references checklist_steps (step),
  checked boolean not null,
  source text not null check (source in ('manual', 'auto')),
  changed_by text not null,
  changed_at timestamptz not null default now(),
  note text,
  primary key (event, step)
);

create table if not exists decisions (
  id bigint generated always as identity primary key,
  event text not null,
  decision text not null check (decision in ('go', 'no_go')),
  rationale text not null default '',
  gate_status text not null check (gate_status in ('pass', 'warn', 'fail')),
  gate_reasons jsonb not null default '[]',
  override boolean not null default false,
  decided_by text not null,
  decided_role text not null,
  decided_at timestamptz not null default now(),
  supersedes bigint references decisions (id),
  check (decision = 'go' or length(trim(rationale)) > 0),
  check (not override or length(trim(rationale)) > 0)
);

create table if not exists kill_switch (
  id boolean primary key default true check (id),
  state text not null check (state in ('armed', 'engaged', 'released')),
  changed_by text,
  changed_at timestamptz not null default now(),
  reason text
);
insert into kill_switch (id, state) values (true, 'armed') on conflict (id) do nothing;

create table if not exists kill_switch_events (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  action text not null check (action in ('engage', 'release', 'step', 'check')),
  actor text not null,
  reason text,
  detail jsonb not null default '{}'
);

create table if not exists retry_history (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  service text not null,
  operation text not null,
  run_id text,
  attempt integer not null check (attempt >= 1),
  status_code integer,
  decision text not null,
  wait_ms integer not null default 0
);

create table if not exists kpi_snapshots (
  id bigint generated always as identity primary key,
  event text not null,
  observer_run_id text not null,
  as_of timestamptz not null,
  window_days integer not null,
  kpis jsonb not null,
  created_at timestamptz not null default now()
);

-- Append-only audit log. Each row's hash covers the previous row's hash, so a row changed or
-- removed behind the application's back breaks the chain (scripts/phase4-audit-verify.sh).
create table if not exists audit_log (
  id bigint primary key,
  at_utc text not null,
  actor text not null,
  role text not null,
  action text not null,
  target text not null default '',
  detail jsonb not null default '{}',
  prev_hash text not null,
  hash text not null
);
create sequence if not exists audit_log_id_seq owned by audit_log.id;

create or replace function public.audit_log_hash(
  prev_hash text, id bigint, at_utc text, actor text, role text, action text, target text, detail jsonb
) returns text language sql immutable as $$
  select encode(sha256(convert_to(
    prev_hash || '|' || id::text || '|' || at_utc || '|' || actor || '|' || role || '|' || action || '|' ||
    target || '|' || detail::text, 'UTF8')), 'hex')
$$;

create or replace function public.audit_log_chain() returns trigger language plpgsql security definer
set search_path = public as $$
declare
  previous text;
begin
  -- Serialise writers so ids and the chain share one order.
  perform pg_advisory_xact_lock(hashtext('auditloop_audit_log'));
  select a.hash into previous from audit_log a order by a.id desc limit 1;
  new.id := nextval('audit_log_id_seq');
  new.prev_hash := coalesce(previous, repeat('0', 64));
  new.at_utc := to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  new.target := coalesce(new.target, '');
  new.detail := coalesce(new.detail, '{}'::jsonb);
  new.hash := public.audit_log_hash(new.prev_hash, new.id, new.at_utc, new.actor, new.role, new.action,
    new.target, new.detail);
  return new;
end
$$;

create or replace function public.refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = '42501';
end
$$;

drop trigger if exists audit_log_chain on audit_log;
create trigger audit_log_chain before insert on audit_log for each row execute function public.audit_log_chain();
drop trigger if exists audit_log_append_only on audit_log;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function public.refuse_change();
drop trigger if exists decisions_append_only on decisions;
create trigger decisions_append_only before update or delete on decisions
  for each row execute function public.refuse_change();
drop trigger if exists kill_switch_events_append_only on kill_switch_events;
create trigger kill_switch_events_append_only before update or delete on kill_switch_events
  for each row execute function public.refuse_change();

-- Grants: clients reach tables only through the policies below.
grant select on runs, phase4_audit_metrics, checklist_steps, checklist_state, decisions, kill_switch,
  kill_switch_events, retry_history, kpi_snapshots, audit_log to authenticated;
grant insert, update on runs, phase4_audit_metrics, retry_history, kpi_snapshots, checklist_state,
  kill_switch to authenticated;
grant insert on decisions, kill_switch_events, audit_log to authenticated;
revoke update, delete, truncate on audit_log, decisions, kill_switch_events from public, anon, authenticated;
grant usage on sequence audit_log_id_seq to authenticated;

alter table runs enable row level security;
alter table phase4_audit_metrics enable row level security;
alter table checklist_steps enable row level security;
alter table checklist_state enable row level security;
alter table decisions enable row level security;
alter table kill_switch enable row level security;
alter table kill_switch_events enable row level security;
alter table retry_history enable row level security;
alter table kpi_snapshots enable row level security;
alter table audit_log enable row level security;

do $$
declare
  t text;
begin
  foreach t in array array['runs', 'phase4_audit_metrics', 'checklist_steps', 'checklist_state', 'decisions',
    'kill_switch', 'kill_switch_events', 'retry_history', 'kpi_snapshots', 'audit_log']
  loop
    execute format('drop policy if exists %I on %I', t || '_read', t);
    execute format($p$create policy %I on %I for select to authenticated
      using (public.auditloop_is('observer', 'operator', 'reviewer', 'commander'))$p$, t || '_read', t);
  end loop;
  -- Evidence: operators.
  foreach t in array array['runs', 'phase4_audit_metrics', 'retry_history', 'kpi_snapshots']
  loop
    execute format('drop policy if exists %I on %I', t || '_insert', t);
    execute format($p$create policy %I on %I for insert to authenticated
      with check (public.auditloop_is('operator'))$p$, t || '_insert', t);
    execute format('drop policy if exists %I on %I', t || '_update', t);
    execute format($p$create policy %I on %I for update to authenticated
      using (public.auditloop_is('operator')) with check (public.auditloop_is('operator'))$p$, t || '_update', t);
  end loop;
end
$$;

-- Checklist: reviewers, and each step's own role for its step.
drop policy if exists checklist_state_insert on checklist_state;
create policy checklist_state_insert on checklist_state for insert to authenticated with check (
  public.auditloop_is('reviewer')
  or public.auditloop_role() = (select s.role from checklist_steps s where s.step = checklist_state.step));
drop policy if exists checklist_state_update on checklist_state;
create policy checklist_state_update on checklist_state for update to authenticated
  using (public.auditloop_is('reviewer')
    or public.auditloop_role() = (select s.role from checklist_steps s where s.step = checklist_state.step))
  with check (public.auditloop_is('reviewer')
    or public.auditloop_role() = (select s.role from checklist_steps s where s.step = checklist_state.step));

-- Decisions: reviewers.
drop policy if exists decisions_insert on decisions;
create policy decisions_insert on decisions for insert to authenticated
  with check (public.auditloop_is('reviewer') and decided_role = 'reviewer');

-- Kill switch: the commander.
drop policy if exists kill_switch_update on kill_switch;
create policy kill_switch_update on kill_switch for update to authenticated
  using (public.auditloop_is('commander')) with check (public.auditloop_is('commander'));
drop policy if exists kill_switch_events_insert on kill_switch_events;
create policy kill_switch_events_insert on kill_switch_events for insert to authenticated
  with check (public.auditloop_is('commander'));

-- The audit log: any signed-in role appends, as itself.
drop policy if exists audit_log_insert on audit_log;
create policy audit_log_insert on audit_log for insert to authenticated
  with check (public.auditloop_is('observer', 'operator', 'reviewer', 'commander')
    and role = public.auditloop_role());
