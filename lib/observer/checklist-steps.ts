import type { StepVerifier } from "../control/checklist-verify";
import { loadRunsSummaryCached } from "../evidence/runs-summary";
import { RETRY_POLICY } from "../retry";

/**
 * Checklist steps 7 and 8 (DESIGN §12), verified from what the observer run leaves behind:
 * its KPI snapshot, and the retry history every HTTP client writes (lib/supabase, lib/notify).
 */
const utc = (value: Date | string) => new Date(value).toISOString().replace(/\.\d+Z$/, "Z");

/** Step 7 "Observer run over window_days; KPIs and evidence aggregated": the last KPI snapshot. */
export const verifyObserverRunStep: StepVerifier = async ({ db, event }) => {
  const { rows } = await db.query<{
    observer_run_id: string;
    as_of: Date | string;
    window_days: number;
    total_runs: string | null;
    created_at: Date | string;
  }>(
    `select observer_run_id, as_of, window_days, kpis ->> 'total_runs' as total_runs, created_at
       from kpi_snapshots where event = $1 order by id desc limit 1`,
    [event],
  );
  const last = rows[0];
  if (!last) {
    return {
      status: "unverified",
      detail: "no observer run recorded for this event (scripts/phase4-observer-report.sh)",
    };
  }
  return {
    status: "verified",
    evidence: `observer run ${last.observer_run_id} over ${last.window_days} day(s) as of ${utc(last.as_of)} (${last.total_runs ?? "?"} runs, KPI snapshot stored)`,
    at: new Date(last.created_at).toISOString(),
  };
};

const MAX_RETRIES = Math.max(
  RETRY_POLICY.rateLimited.maxRetries,
  RETRY_POLICY.serverError.maxRetries,
  RETRY_POLICY.connection.maxRetries,
);

/**
 * Step 8 "Retries applied only to 5xx/429, none over the limit": no retry decision in
 * retry_history on another status (no status: a reset or timeout, a 5xx to the policy), none
 * past the policy's last retry, and no run in RUNS_SUMMARY.json with more retries than that.
 */
export const verifyRetryPolicyStep: StepVerifier = async ({ db, files }) => {
  const { rows } = await db.query<{
    calls: string;
    retries: string;
    wrong_status: string;
    over: string;
    at: Date | string | null;
  }>(
    `select count(*)::text as calls,
            count(*) filter (where decision = 'retry')::text as retries,
            count(*) filter (where decision = 'retry' and status_code is not null
                             and status_code <> 429 and status_code not between 500 and 599)::text as wrong_status,
            count(*) filter (where decision = 'retry' and attempt > $1::integer)::text as over,
            max(at) as at
       from retry_history`,
    [MAX_RETRIES],
  );
  const h = rows[0];
  const calls = Number(h?.calls ?? 0);
  if (calls === 0) return { status: "unverified", detail: "no HTTP attempt recorded in retry_history yet" };
  const runs = await loadRunsSummaryCached(files.runsSummary);
  const overRuns = runs.filter((r) => r.retries > MAX_RETRIES);
  const problems = [
    Number(h?.wrong_status) > 0
      ? `${h?.wrong_status} retry decision(s) on a status other than 5xx or 429`
      : null,
    Number(h?.over) > 0 ? `${h?.over} retry decision(s) past retry ${MAX_RETRIES}` : null,
    overRuns.length > 0
      ? `${overRuns.length} run(s) in RUNS_SUMMARY.json with more than ${MAX_RETRIES} retries (e.g. run_id ${overRuns[0]?.run_id})`
      : null,
  ].filter((p) => p !== null);
  if (problems.length > 0) return { status: "unverified", detail: problems.join("; ") };
  return {
    status: "verified",
    evidence: `retry history: ${h?.retries} retr(ies) over ${calls} attempt(s), all on 5xx/429/connection failures, none past retry ${MAX_RETRIES}; no run over ${MAX_RETRIES} retries`,
    at: h?.at ? new Date(h.at).toISOString() : null,
  };
};
