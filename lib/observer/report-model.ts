import type { RunRecord } from "../evidence/run-record";
import { SELF_HEAL_OBJECTIVE_SEC, type Kpis, type SelfHeal } from "./kpis";
import type { QualityGateResult } from "./quality-gate";

/**
 * One observer run's report (DESIGN §3, §6): what the two markdown summaries, the KPI snapshot
 * and the Slack summary are written from. Pure data; the writers render it.
 */
export interface FindingRun {
  run_id: string;
  notes: string;
}

export interface Findings {
  /** Runs in the window whose artifact digest does not match the provenance. */
  parityFailures: FindingRun[];
  /** Runs in the window that exhausted their retries. */
  exhausted: FindingRun[];
  /** Failed runs healed later than the 24 h objective. */
  lateHeals: SelfHeal[];
  /** Failed runs in the window, with the run that healed each (null: not healed yet). */
  failures: (FindingRun & { healed_by: string | null })[];
  observerLagSec: number | null;
}

export interface UpsertSummary {
  table: string;
  rows: number;
  /** Response code → rows answered with it; "none" when the last try got no answer. */
  codes: Record<string, number>;
  exhausted: string[];
  refused: { run_id: string; code: number | null }[];
}

export interface ObserverReport {
  observerRunId: string;
  event: string;
  /** `YYYY-MM-DDTHH:MM:SSZ`: the window is (asOf − windowDays, asOf]. */
  asOf: string;
  windowStart: string;
  windowDays: number;
  runsInFile: number;
  kpis: Kpis;
  findings: Findings;
  gate: QualityGateResult;
  /** null when --supabase-upsert was not given. */
  upsert: UpsertSummary | null;
  notes: string | null;
}

const DAY_MS = 86_400_000;

/** The window's runs are those computeKpis counts: completed in (asOf − windowDays, asOf]. */
export function windowBounds(asOf: Date, windowDays: number): { startMs: number; endMs: number } {
  return { startMs: asOf.getTime() - windowDays * DAY_MS, endMs: asOf.getTime() };
}

export function isInWindow(run: RunRecord, bounds: { startMs: number; endMs: number }): boolean {
  const at = Date.parse(run.run_completed_at_utc);
  return at > bounds.startMs && at <= bounds.endMs;
}

/** The automated findings of PHASE3_AUDIT_SUMMARY.md, from the runs and their KPIs. */
export function computeFindings(
  runs: readonly RunRecord[],
  kpis: Kpis,
  bounds: { startMs: number; endMs: number },
): Findings {
  const healedBy = new Map(kpis.self_heal.healed.map((h) => [h.run_id, h.healed_by]));
  const findings: Findings = {
    parityFailures: [],
    exhausted: [],
    lateHeals: kpis.self_heal.healed.filter((h) => h.self_heal_sec > SELF_HEAL_OBJECTIVE_SEC),
    failures: [],
    observerLagSec: kpis.observer_lag_sec,
  };
  for (const run of runs) {
    // Most runs have nothing to report: test the cheap conditions before parsing the time.
    const failed = run.status === "failure";
    if (run.sha_parity && run.retry_exhausted !== true && !failed) continue;
    if (!isInWindow(run, bounds)) continue;
    const item = { run_id: run.run_id, notes: run.observer_notes };
    if (!run.sha_parity) findings.parityFailures.push(item);
    if (run.retry_exhausted === true) findings.exhausted.push(item);
    if (failed) findings.failures.push({ ...item, healed_by: healedBy.get(run.run_id) ?? null });
  }
  return findings;
}
