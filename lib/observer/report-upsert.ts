import type { RunRecord } from "../evidence/run-record";
import type { MetricsRowInput, UpsertResult } from "../supabase/metrics-upsert";
import type { UpsertSummary } from "./report-model";

/**
 * The observer report's metrics upsert (DESIGN §1.5, §5): one phase4_audit_metrics row per run in
 * the window, keyed by run_id, and each answer recorded back onto the run record.
 */
export function toMetricsRow(run: RunRecord, observedAt: string, windowDays: number): MetricsRowInput {
  return {
    run_id: run.run_id,
    status: run.status,
    duration_sec: run.duration_sec,
    // The observer's verdict on the run's evidence: its artifact matches the provenance or not.
    validator_verdict: run.sha_parity ? "pass" : "fail",
    prov_sha: run.prov_sha,
    computed_sha: run.computed_sha,
    created_at: run.run_started_at_utc,
    observed_at: observedAt,
    retries: run.retries,
    retries_exhausted: run.retry_exhausted === true,
    window_days: windowDays,
  };
}

export function summarizeUpserts(table: string, results: readonly UpsertResult[]): UpsertSummary {
  const codes: Record<string, number> = {};
  for (const r of results) {
    const key = r.responseCode === null ? "none" : String(r.responseCode);
    codes[key] = (codes[key] ?? 0) + 1;
  }
  return {
    table,
    rows: results.length,
    codes,
    exhausted: results.filter((r) => r.retryExhausted).map((r) => r.runId),
    refused: results
      .filter((r) => r.outcome === "refused")
      .map((r) => ({ run_id: r.runId, code: r.responseCode })),
  };
}

/**
 * The runs with each upsert's answer: supabase_response_code is the last answer's status (null:
 * no answer). retry_exhausted is never cleared here: a run that already records exhausted retries
 * (its own, or an earlier upsert's) keeps the record; an exhausted upsert sets it.
 */
export function applyUpsertResults(
  runs: readonly RunRecord[],
  results: readonly UpsertResult[],
): RunRecord[] {
  const byId = new Map(results.map((r) => [r.runId, r]));
  return runs.map((run) => {
    const result = byId.get(run.run_id);
    if (!result) return run;
    return {
      ...run,
      retry_exhausted: run.retry_exhausted === true || result.retryExhausted,
      supabase_response_code: result.responseCode,
    };
  });
}
