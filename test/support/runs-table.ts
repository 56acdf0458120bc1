import type { Queryable } from "../../lib/db";

/**
 * Writes run records straight into the `runs` table (the mirror of RUNS_SUMMARY.json) in one
 * statement, as the mirror does: tests of the readers need rows, not the mirror's logic.
 */
export async function insertRunRows(
  db: Queryable,
  event: string,
  runs: readonly Record<string, unknown>[],
): Promise<void> {
  await db.query(
    `insert into runs (event, run_id, trigger_mode, status, sha_parity, retries, retry_origin,
       run_started_at_utc, run_completed_at_utc, duration_sec, prov_sha, computed_sha, observer_run_id,
       observer_notes, window_days, retry_exhausted, supabase_response_code, head_sha, workflow_name, branch,
       source)
     select $1, run_id, trigger_mode, status, sha_parity, retries, retry_origin, run_started_at_utc,
       run_completed_at_utc, duration_sec, coalesce(prov_sha, ''), coalesce(computed_sha, ''),
       coalesce(observer_run_id, ''), coalesce(observer_notes, ''), window_days, retry_exhausted,
       supabase_response_code, head_sha, workflow_name, branch, source
     from jsonb_populate_recordset(null::runs, $2::jsonb)`,
    [event, JSON.stringify(runs)],
  );
}

/** `hours` before `now` as the files write it (whole seconds, Z). */
export function hoursBefore(now: Date, hours: number): string {
  return new Date(now.getTime() - hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
