import type { WorkflowRun } from "../github";
import { runRecordSchema, type RunRecord, type RunStatus } from "../evidence/run-record";
import type { CollectOptions } from "./inputs";
import type { ParityOutcome } from "./types";

/**
 * A GitHub run → its run record (DESIGN §3). What GitHub knows (conclusion, event, times, head
 * SHA, workflow, branch) replaces what the record said; what only the audit knows (the Supabase
 * response code, a Phase 3 import's source) is kept from the existing record.
 *
 * A re-run is a new attempt of the same GitHub run. Its record is `<run_id>-attempt-<n>`, so the
 * failure it heals stays in RUNS_SUMMARY.json and the KPIs can measure the heal (lib/observer/kpis
 * links a successful retry to the previous failure of the same workflow and branch).
 */
const EVENT_TRIGGERS: Record<string, string> = {
  workflow_dispatch: "manual_dispatch",
  schedule: "scheduled",
};

/** GitHub's conclusions on the record's three statuses; a run that did not finish cleanly failed. */
const CONCLUSIONS: Record<string, RunStatus> = {
  success: "success",
  neutral: "success",
  failure: "failure",
  timed_out: "failure",
  startup_failure: "failure",
  action_required: "failure",
  cancelled: "cancelled",
  skipped: "cancelled",
  stale: "cancelled",
};

export function recordRunId(run: Pick<WorkflowRun, "runId" | "runAttempt">): string {
  return run.runAttempt > 1 ? `${run.runId}-attempt-${run.runAttempt}` : run.runId;
}

export function toRunStatus(conclusion: string | null): RunStatus {
  return CONCLUSIONS[conclusion ?? ""] ?? "failure";
}

const isoSeconds = (value: string) => new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");

export interface RunUpdate {
  run: WorkflowRun;
  options: CollectOptions;
  parity: ParityOutcome | null;
  existing: RunRecord | undefined;
  /** This attempt was requested by the observer's self-heal (retry_origin=observer-auto). */
  healRequested: boolean;
  retryExhausted: boolean;
  /** Extra notes (artifact failures, self-heal), joined into observer_notes. */
  notes: string[];
}

export function buildRunRecord({
  run,
  options,
  parity,
  existing,
  healRequested,
  retryExhausted,
  notes,
}: RunUpdate): RunRecord {
  const started = isoSeconds(run.runStartedAt ?? run.createdAt);
  const completed = isoSeconds(run.updatedAt);
  // GitHub's times have one-second resolution; the record requires a duration above zero.
  const durationSec = Math.max(1, (Date.parse(completed) - Date.parse(started)) / 1000);
  const retry = run.runAttempt > 1;
  const trigger = options.runMode ?? (retry ? "retry" : (EVENT_TRIGGERS[run.event] ?? eventName(run.event)));
  const sha256Parity = parity?.digestAlg !== "sha512";
  const reasons = [
    options.observerNotes,
    options.tag ? `tag=${options.tag}` : undefined,
    parity && !parity.shaParity ? `sha_parity=false: ${parity.reason ?? "digests differ"}` : undefined,
    parity === null ? "sha_parity=false: no artifact and provenance to compare" : undefined,
    parity?.digestAlg === "sha512"
      ? "digest_alg=sha512 (the record's digest fields hold SHA-256 only)"
      : undefined,
    ...notes,
  ].filter((n): n is string => n !== undefined && n !== "");
  const record: RunRecord = {
    ...existing,
    run_id: recordRunId(run),
    trigger_mode: trigger,
    status: toRunStatus(run.conclusion),
    sha_parity: parity?.shaParity ?? false,
    retries: options.retries ?? (retry ? run.runAttempt - 1 : (existing?.retries ?? 0)),
    retry_origin:
      options.retryOrigin ??
      (retry ? (healRequested ? "observer-auto" : run.runId) : (existing?.retry_origin ?? null)),
    run_started_at_utc: started,
    run_completed_at_utc: completed < started ? started : completed,
    duration_sec: durationSec,
    prov_sha: parity && sha256Parity ? parity.provSha : "",
    computed_sha: parity && sha256Parity ? parity.computedSha : "",
    observer_run_id: options.observerRunId ?? existing?.observer_run_id ?? "auto-collect",
    observer_notes: reasons.join("; ").slice(0, 2000),
    head_sha: run.headSha,
    workflow_name: run.workflowName,
    source: existing?.source ?? "auto",
  };
  if (run.branch !== null) record.branch = run.branch;
  if (options.windowDays !== undefined) record.window_days = options.windowDays;
  if (retryExhausted) record.retry_exhausted = true;
  return runRecordSchema.parse(record);
}

/** An event name as trigger_mode: lower-case letters and '_' only (the record's rule), else "other". */
function eventName(event: string): string {
  return /^[a-z_]{1,64}$/.test(event) ? event : "other";
}
