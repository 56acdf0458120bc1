import type { Queryable } from "../db";
import { isoOrNull } from "./collections-store";

/**
 * self_heal_attempts: every parity re-download and every re-run of failed jobs, with why it was
 * made, what came of it and, once healed, the time from the first failure against the 24 h
 * objective (DESIGN §1, §6).
 */
export type SelfHealKind = "parity-redownload" | "rerun-failed-jobs";
export type SelfHealOutcome = "requested" | "already-done" | "healed" | "failed" | "exhausted";

export interface SelfHealAttempt {
  id: number;
  event: string;
  runId: string;
  kind: SelfHealKind;
  attempt: number;
  decidedBecause: string;
  requestedAt: string;
  outcome: SelfHealOutcome;
  firstFailureAt: string | null;
  resolvedAt: string | null;
  healSec: number | null;
  withinObjective: boolean | null;
  actor: string;
}

interface Row {
  id: number;
  event: string;
  run_id: string;
  kind: SelfHealKind;
  attempt: number;
  decided_because: string;
  requested_at: Date | string;
  outcome: SelfHealOutcome;
  first_failure_at: Date | string | null;
  resolved_at: Date | string | null;
  heal_sec: number | null;
  within_objective: boolean | null;
  actor: string;
}

/** DESIGN §1: anything that broke is healed within 24 hours. */
export const HEAL_OBJECTIVE_SEC = 24 * 3600;

export async function insertSelfHealAttempt(
  db: Queryable,
  row: Pick<
    SelfHealAttempt,
    "event" | "runId" | "kind" | "attempt" | "decidedBecause" | "outcome" | "actor"
  > & {
    firstFailureAt: string | null;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into self_heal_attempts (event, run_id, kind, attempt, decided_because, outcome, first_failure_at, actor)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning id::float8 as id`,
    [
      row.event,
      row.runId,
      row.kind,
      row.attempt,
      row.decidedBecause.slice(0, 500),
      row.outcome,
      row.firstFailureAt,
      row.actor,
    ],
  );
  return Number(rows[0]?.id);
}

/** Closes an attempt: healed (with the heal time from first_failure_at), failed or exhausted. */
export async function resolveSelfHealAttempt(
  db: Queryable,
  id: number,
  outcome: Exclude<SelfHealOutcome, "requested" | "already-done">,
  resolvedAt: string,
): Promise<{ healSec: number | null; withinObjective: boolean | null }> {
  const { rows } = await db.query<{ heal_sec: number | null; within_objective: boolean | null }>(
    `update self_heal_attempts set outcome = $2, resolved_at = $3::timestamptz,
        heal_sec = case when $2 = 'healed' and first_failure_at is not null
          then greatest(0, extract(epoch from ($3::timestamptz - first_failure_at)))::float8 end,
        within_objective = case when $2 = 'healed' and first_failure_at is not null
          then extract(epoch from ($3::timestamptz - first_failure_at)) <= $4 end
      where id = $1 returning heal_sec, within_objective`,
    [id, outcome, resolvedAt, HEAL_OBJECTIVE_SEC],
  );
  const row = rows[0];
  return {
    healSec: row?.heal_sec === null || row?.heal_sec === undefined ? null : Number(row.heal_sec),
    withinObjective: row?.within_objective ?? null,
  };
}

/** Self-heal attempts in order, of one run (GitHub run id) or of every run. */
export async function listSelfHealAttempts(db: Queryable, runId?: string): Promise<SelfHealAttempt[]> {
  const { rows } = await db.query<Row>(
    `select id::float8 as id, event, run_id, kind, attempt, decided_because, requested_at, outcome,
        first_failure_at, resolved_at, heal_sec, within_objective, actor
       from self_heal_attempts where $1::text is null or run_id = $1 order by id`,
    [runId ?? null],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    event: row.event,
    runId: row.run_id,
    kind: row.kind,
    attempt: Number(row.attempt),
    decidedBecause: row.decided_because,
    requestedAt: new Date(row.requested_at).toISOString(),
    outcome: row.outcome,
    firstFailureAt: isoOrNull(row.first_failure_at),
    resolvedAt: isoOrNull(row.resolved_at),
    healSec: row.heal_sec === null ? null : Number(row.heal_sec),
    withinObjective: row.within_objective,
    actor: row.actor,
  }));
}
