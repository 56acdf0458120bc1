import { markdownCell } from "../evidence/event-summaries";
import type { Kpis } from "./kpis";
import type { QualityGateResult } from "./quality-gate";
import type { FindingRun, ObserverReport, UpsertSummary } from "./report-model";

/**
 * The observer report as markdown: pure functions of the report, so the same report renders to
 * the same bytes (a re-run with the same id and --as-of changes nothing but the change logs).
 * Masking is the writer's job (report-files.ts); these render what they are given.
 */
const LISTED = 20;

const percent = (rate: number | null) =>
  rate === null ? "n/a" : `${(rate * 100).toFixed(2).replace(/\.?0+$/, "")} %`;
const secs = (value: number | null) => (value === null ? "n/a" : `${value} s`);
const hours = (sec: number) => `${(sec / 3600).toFixed(1)} h`;
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** `a`, `b`, … and N more: long lists stay readable at 100,000 runs. */
function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, LISTED).map(code).join(", ");
  return ids.length > LISTED ? `${shown}, … and ${ids.length - LISTED} more` : shown;
}

export function renderKpiTable(kpis: Kpis): string {
  const rows: [string, string][] = [
    ["total_runs", String(kpis.total_runs)],
    ["success_count", String(kpis.success_count)],
    ["failure_count", String(kpis.failure_count)],
    ["cancelled_count", String(kpis.cancelled_count)],
    ["success_rate", percent(kpis.success_rate)],
    ["retry_invocations", String(kpis.retry_invocations)],
    ["retry_success_rate", percent(kpis.retry_success_rate)],
    ["retries_exhausted_count", String(kpis.retries_exhausted_count)],
    ["sha_parity_pass_rate", percent(kpis.sha_parity_pass_rate)],
    ["p50_latency_sec", secs(kpis.p50_latency_sec)],
    ["p90_latency_sec", secs(kpis.p90_latency_sec)],
    ["observer_lag_sec", secs(kpis.observer_lag_sec)],
    ["self_heal_count", String(kpis.self_heal.healed.length)],
    ["self_heal_within_24h", String(kpis.self_heal.count_within_24h)],
    ["self_heal_over_24h", String(kpis.self_heal.count_over_24h)],
  ];
  return ["| KPI | Value |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${markdownCell(v)} |`)].join(
    "\n",
  );
}

export function renderGate(gate: QualityGateResult): string[] {
  const label = { pass: "pass", warn: "warn", fail: "fail", not_evaluated: "not evaluated" } as const;
  return [
    `**Quality gate: ${gate.status.toUpperCase()}**`,
    "",
    ...gate.reasons.map((r) => `- ${label[r.outcome]}: ${oneLine(r.message)}`),
  ];
}

function runsWithNotes(runs: readonly FindingRun[]): string {
  const shown = runs
    .slice(0, LISTED)
    .map((r) => `${code(r.run_id)}${r.notes ? ` (${oneLine(r.notes)})` : ""}`);
  return [...shown, ...(runs.length > LISTED ? [`… and ${runs.length - LISTED} more`] : [])].join("; ");
}

export function renderWindow(report: ObserverReport): string {
  return `Observer run ${code(report.observerRunId)}, as of ${report.asOf}, over ${report.windowDays} day(s): runs completed after ${report.windowStart} up to ${report.asOf} (${report.kpis.total_runs} of the ${report.runsInFile} runs in RUNS_SUMMARY.json).`;
}

/** PHASE3_AUDIT_SUMMARY.md's "Automated findings", regenerated on every observer run. */
export function renderFindings(report: ObserverReport): string {
  const f = report.findings;
  const open = f.failures.filter((x) => x.healed_by === null);
  const lines = [
    renderWindow(report),
    "",
    ...renderGate(report.gate),
    "",
    `- SHA parity failures: ${f.parityFailures.length}${f.parityFailures.length ? ` — ${runsWithNotes(f.parityFailures)}` : ""}`,
    `- Retries exhausted: ${f.exhausted.length}${f.exhausted.length ? ` — ${runsWithNotes(f.exhausted)}` : ""}`,
    `- Healed later than 24 h: ${f.lateHeals.length}${
      f.lateHeals.length
        ? ` — ${f.lateHeals
            .slice(0, LISTED)
            .map((h) => `${code(h.run_id)} healed by ${code(h.healed_by)} after ${hours(h.self_heal_sec)}`)
            .join("; ")}${f.lateHeals.length > LISTED ? `; … and ${f.lateHeals.length - LISTED} more` : ""}`
        : ""
    }`,
    `- Failures: ${f.failures.length} (${f.failures.length - open.length} healed, ${open.length} not healed)${
      open.length ? ` — not healed: ${runsWithNotes(open)}` : ""
    }`,
    `- Observer lag: ${f.observerLagSec === null ? "n/a (no runs in the window)" : `${f.observerLagSec} s since the latest completion`}`,
  ];
  return lines.join("\n");
}

export function renderUpsert(upsert: UpsertSummary | null): string {
  if (!upsert) return "not requested (--supabase-upsert not given)";
  const codes = Object.entries(upsert.codes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([c, n]) => `${c} ×${n}`)
    .join(", ");
  const exhausted = upsert.exhausted.length
    ? `retry_exhausted=true for ${upsert.exhausted.length} row(s): ${listIds(upsert.exhausted)}`
    : "retry_exhausted=false";
  const refused = upsert.refused.length
    ? `; refused: ${listIds(upsert.refused.map((r) => `${r.run_id} (${r.code ?? "no answer"})`))}`
    : "";
  return `${upsert.rows} row(s) to ${upsert.table}; response codes ${codes || "none"}; ${exhausted}${refused}`;
}

/** AUTO_OBSERVER_SUMMARY.md's section of one observer run (under `### Observer Run \`<id>\``). */
export function renderObserverRunSection(report: ObserverReport): string {
  const k = report.kpis;
  const exhaustedIds = report.findings.exhausted.map((r) => r.run_id);
  return [
    `- Event: ${code(report.event)}`,
    `- Window: ${report.windowDays} day(s), runs completed after ${report.windowStart} up to ${report.asOf}`,
    `- As of: ${report.asOf}`,
    `- Runs: ${k.total_runs} in the window of ${report.runsInFile} in RUNS_SUMMARY.json`,
    `- Quality gate: ${report.gate.status.toUpperCase()}`,
    `- Retries: ${k.retry_invocations} retry invocation(s); retry success rate ${percent(k.retry_success_rate)}; retries exhausted: ${k.retries_exhausted_count}${exhaustedIds.length ? ` (${listIds(exhaustedIds)})` : ""}`,
    `- Supabase upsert: ${renderUpsert(report.upsert)}`,
    `- Notes: ${report.notes ? oneLine(report.notes) : "none"}`,
    "",
    renderKpiTable(k),
    "",
    ...renderGate(report.gate),
  ].join("\n");
}

export function observerRunHeading(observerRunId: string): string {
  return `### Observer Run ${code(observerRunId)}`;
}

/** One change-log line per report run; `at` (wall clock, ms) makes each line its own. */
export function renderChangeLogLine(report: ObserverReport, at: Date): string {
  return `- ${at.toISOString()} observer run ${code(report.observerRunId)} as of ${report.asOf} over ${report.windowDays} day(s): ${report.kpis.total_runs} run(s), gate ${report.gate.status}${report.upsert ? `, ${report.upsert.rows} metrics row(s) upserted` : ""}`;
}
