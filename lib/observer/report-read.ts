import { findStatusConflicts, RunStatusConflictError } from "../evidence/run-status-conflict";
import { readRunsSummarySnapshot, type RunsSummarySnapshot } from "../evidence/runs-summary-snapshot";
import type { RunRecord } from "../evidence/run-record";
import { computeKpis, type KpiOptions, type Kpis } from "./kpis";

export type RunsRead =
  { snapshot: RunsSummarySnapshot; elapsedMs: number; kpis: Kpis | null } | { error: unknown };

export interface ReadOptions {
  /** Whether these bytes were validated before (the runs mirror's digest): then not validated again. */
  trust?: (digest: string) => Promise<boolean>;
  /**
   * Compute the KPIs too, as soon as the rows are parsed (the CLI overlaps the read with opening
   * the database). They equal the KPIs of the validated runs whenever validation passes: the
   * validated records carry the parsed values unchanged.
   */
  kpis?: KpiOptions;
}

/**
 * RUNS_SUMMARY.json read for the report, the error kept rather than thrown: the CLI starts the
 * read before the database is open (both take a while; the embedded one starts in a worker) and
 * the report acts on the outcome in its own order. A run recorded as both success and failure is
 * a RunStatusConflictError (the report trips the kill switch on it).
 */
export async function readRunsForReport(file: string, options: ReadOptions = {}): Promise<RunsRead> {
  const started = performance.now();
  let kpis: Kpis | null = null;
  try {
    const snapshot = await readRunsSummarySnapshot(file, {
      trust: options.trust,
      onParsed: (rows) => {
        if (!options.kpis || !Array.isArray(rows)) return;
        try {
          kpis = computeKpis(rows as RunRecord[], options.kpis);
        } catch {
          kpis = null; // malformed rows: validation names the problem, the report computes again
        }
      },
      inspect: (rows) => {
        const conflicts = findStatusConflicts(rows);
        if (conflicts.length > 0) throw new RunStatusConflictError(file, conflicts);
      },
    });
    const elapsedMs = Math.round(performance.now() - started);
    return { snapshot, elapsedMs, kpis };
  } catch (error) {
    return { error };
  }
}
