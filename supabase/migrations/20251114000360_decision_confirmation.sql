-- Go/No-Go with two reviewers (issue 3): a `go` recorded while the rule is on waits for a second,
-- different reviewer. The state is written with the decision, so the record says what it meant
-- when it was made, whatever the setting says later. Decisions stay append-only.
alter table decisions add column if not exists state text not null default 'effective'
  check (state in ('effective', 'awaiting_second_reviewer'));
alter table decisions add column if not exists two_reviewer_rule boolean not null default false;
-- The first reviewer's go that this go confirms (always the decision it supersedes).
alter table decisions add column if not exists confirms bigint references decisions (id);
alter table decisions drop constraint if exists decisions_confirms_go;
alter table decisions add constraint decisions_confirms_go
  check (confirms is null or (decision = 'go' and confirms = supersedes));

-- One chain per event: two decisions can never supersede the same one (concurrent reviewers).
create unique index if not exists decisions_supersedes_once on decisions (supersedes) where supersedes is not null;
create index if not exists decisions_event_id on decisions (event, id desc);

-- Observers only watch (issue 3: "observer sees everything and can act on nothing"). Steps whose
-- role is 'observer' are the observer run's: the evidence ticks them, or a reviewer does.
drop policy if exists checklist_state_insert on checklist_state;
create policy checklist_state_insert on checklist_state for insert to authenticated with check (
  public.auditloop_is('reviewer')
  or (public.auditloop_is('operator', 'commander')
    and public.auditloop_role() = (select s.role from checklist_steps s where s.step = checklist_state.step)));
drop policy if exists checklist_state_update on checklist_state;
create policy checklist_state_update on checklist_state for update to authenticated
  using (public.auditloop_is('reviewer')
    or (public.auditloop_is('operator', 'commander')
      and public.auditloop_role() = (select s.role from checklist_steps s where s.step = checklist_state.step)))
  with check (public.auditloop_is('reviewer')
    or (public.auditloop_is('operator', 'commander')
      and public.auditloop_role() = (select s.role from checklist_steps s where s.step = checklist_state.step)));
