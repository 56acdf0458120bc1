-- Live updates (DESIGN §9): every change to a table the dashboards show leaves one small row in
-- change_feed and a NOTIFY on 'auditloop_changes'. A Postgres server pushes the NOTIFY to the
-- dashboard's LISTEN; the embedded database cannot forward NOTIFY over its socket, so there the
-- dashboard polls change_feed by id instead. Statement-level triggers keep a bulk write (100,000
-- runs mirrored at once) to one row and one notification.

create table if not exists change_feed (
  id bigint generated always as identity primary key,
  at timestamptz not null default clock_timestamp(),
  table_name text not null,
  op text not null check (op in ('INSERT', 'UPDATE', 'DELETE')),
  -- The changed row's key when one row changed; null when several did (row_count says how many).
  key text,
  row_count integer not null default 1
);

-- Only the server reads the feed: no client role gets a grant or a policy.
alter table change_feed enable row level security;
revoke all on change_feed from public, anon, authenticated;

-- tg_argv[0] names the key column. The transition table is called "changed" in every trigger.
create or replace function public.change_feed_record() returns trigger language plpgsql security definer
set search_path = public as $$
declare
  n integer;
  k text;
  feed_id bigint;
begin
  select count(*)::int into n from changed;
  if n = 0 then
    return null;
  end if;
  if n = 1 then
    select left(to_jsonb(c) ->> tg_argv[0], 200) into k from changed c;
  end if;
  insert into change_feed (table_name, op, key, row_count) values (tg_table_name, tg_op, k, n)
    returning id into feed_id;
  perform pg_notify('auditloop_changes',
    json_build_object('id', feed_id, 'table', tg_table_name, 'op', tg_op, 'key', k, 'rows', n)::text);
  -- Readers only look seconds back: prune now and then, not on every write.
  if feed_id % 1000 = 0 then
    delete from change_feed where at < now() - interval '1 day';
  end if;
  return null;
end
$$;

do $$
declare
  t record;
begin
  for t in
    select * from (values
      ('runs', 'run_id'),
      ('phase4_audit_metrics', 'run_id'),
      ('checklist_state', 'step'),
      ('decisions', 'id'),
      ('kill_switch', 'state'),
      ('kill_switch_events', 'id'),
      ('audit_log', 'id')
    ) as v (name, key_column)
  loop
    execute format('drop trigger if exists %I on %I', t.name || '_feed_insert', t.name);
    execute format('drop trigger if exists %I on %I', t.name || '_feed_update', t.name);
    execute format('drop trigger if exists %I on %I', t.name || '_feed_delete', t.name);
    execute format(
      'create trigger %I after insert on %I referencing new table as changed for each statement '
      'execute function public.change_feed_record(%L)', t.name || '_feed_insert', t.name, t.key_column);
    execute format(
      'create trigger %I after update on %I referencing new table as changed for each statement '
      'execute function public.change_feed_record(%L)', t.name || '_feed_update', t.name, t.key_column);
    execute format(
      'create trigger %I after delete on %I referencing old table as changed for each statement '
      'execute function public.change_feed_record(%L)', t.name || '_feed_delete', t.name, t.key_column);
  end loop;
end
$$;
