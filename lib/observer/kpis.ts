import { InputError } from "../errors";
import type { RunRecord } from "../evidence/run-record";
import type { KpiGateFacts } from "./quality-gate";
import { walkInCompletionOrder } from "./completion-walk";
import { tallySeries } from "./kpi-series-tally";
import {
  CANCELLED,
  completionOrder,
  DAY_MS,
  FAILURE,
  isoSeconds,
  NOT_INT,
  seconds,
  SUCCESS,
  timeColumn,
  type WindowRuns,
} from "./kpi-window";
import { findSelfHeals, SelfHealScan } from "./self-heals";
import { UtcMsReader } from "./utc-ms-reader";

/**
 * The KPIs of DESIGN §6: one pure definition for the CLI report and the dashboard. Everything is
 * computed as of `asOf`, so a past moment can be recomputed exactly (`--as-of`).
 */
export interface KpiOptions {
  asOf: Date;
  windowDays: number;
}

export interface SelfHeal {
  /** The failed run. */
  run_id: string;
  /** The successful run that healed it. */
  healed_by: string;
  self_heal_sec: number;
}

export interface SeriesBucket {
  /** Start of the UTC hour or day, `YYYY-MM-DDTHH:MM:SSZ`. */
  bucket_start_utc: string;
  total: number;
  success: number;
  failure: number;
  cancelled: number;
  parity_pass: number;
  /** Sum of the bucket's runs' retries. */
  retries: number;
  /** Duration percentiles of the bucket's runs (the same definition as p50/p90_latency_sec). */
  p50_duration_sec: number | null;
  p90_duration_sec: number | null;
}

export interface Kpis {
  as_of: string;
  window_days: number;
  total_runs: number;
  success_count: number;
  failure_count: number;
  cancelled_count: number;
  success_rate: number | null;
  retry_invocations: number;
  retry_success_rate: number | null;
  retries_exhausted_count: number;
  sha_parity_pass_rate: number | null;
  p50_latency_sec: number | null;
  p90_latency_sec: number | null;
  observer_lag_sec: number | null;
  self_heal: { healed: SelfHeal[]; count_within_24h: number; count_over_24h: number };
  series: { hourly: SeriesBucket[]; daily: SeriesBucket[] };
}

/** DESIGN §1: anything that broke is healed within 24 hours. */
export const SELF_HEAL_OBJECTIVE_SEC = 86_400;

/** Fractions 0..1 to 4 decimals; null when nothing was counted. */
const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1e4) / 1e4);

export function computeKpis(runs: readonly RunRecord[], options: KpiOptions): Kpis {
  const asOfMs = options.asOf.getTime();
  if (Number.isNaN(asOfMs)) throw new InputError("as-of: expected a valid UTC date and time");
  if (!(options.windowDays > 0 && Number.isFinite(options.windowDays))) {
    throw new InputError(`window-days: expected a number > 0, got ${options.windowDays}`);
  }
  // The window is (asOf − windowDays, asOf]: a run completed exactly windowDays ago has left it.
  const startMs = asOfMs - options.windowDays * DAY_MS;
  const { columns, totals: t, heals: scan } = readWindow(runs, startMs, asOfMs);
  const total = columns.count;
  const win: WindowRuns = { ...columns, order: completionOrder(columns.completedAt, total, t) };
  const walk = walkInCompletionOrder(win, scan);
  const healed = findSelfHeals(runs, win, scan, walk);
  const late = healed.filter((h) => h.self_heal_sec > SELF_HEAL_OBJECTIVE_SEC).length;
  const { hourly, daily, latency } = tallySeries(walk.hours, win.originMs);
  return {
    as_of: isoSeconds(asOfMs),
    window_days: options.windowDays,
    total_runs: total,
    success_count: t.success,
    failure_count: t.failure,
    cancelled_count: t.cancelled,
    success_rate: rate(t.success, total),
    retry_invocations: t.retryInvocations,
    retry_success_rate: rate(t.retriedSuccess, t.retried),
    retries_exhausted_count: t.exhausted,
    sha_parity_pass_rate: rate(t.parityPass, total),
    p50_latency_sec: latency[0],
    p90_latency_sec: latency[1],
    observer_lag_sec: total === 0 ? null : seconds((asOfMs - (win.originMs + t.latestAt)) / 1000),
    self_heal: { healed, count_within_24h: healed.length - late, count_over_24h: late },
    series: { hourly, daily },
  };
}

/** The facts the quality gate reads from these KPIs. */
export function toKpiGateFacts(kpis: Kpis, observerRunId: string): KpiGateFacts {
  return {
    observerRunId,
    shaParityPassRate: kpis.sha_parity_pass_rate,
    successRate: kpis.success_rate,
    retriesExhaustedCount: kpis.retries_exhausted_count,
    lateHealCount: kpis.self_heal.count_over_24h,
  };
}

/**
 * The one pass over the run objects (they lie all over the heap: a second pass would cost as
 * much again): the window's runs into columns (WindowRuns but the order), the counts that need
 * no order, and what the self-heal search reads.
 */
function readWindow(runs: readonly RunRecord[], startMs: number, asOfMs: number) {
  const n = runs.length;
  const { originMs, completedAt } = timeColumn(startMs, asOfMs, n);
  const columns = {
    count: 0,
    index: new Int32Array(n),
    completedAt,
    originMs,
    status: new Uint8Array(n),
    parity: new Uint8Array(n),
    retries: new Float64Array(n),
    durationSec: new Float64Array(n),
    retriesInt: new Int32Array(n),
    durationInt: new Int32Array(n),
    wholeDurations: true,
  };
  const heals = new SelfHealScan(n);
  // Both exact: whole numbers, or startMs within a day of originMs (Sterbenz).
  const totals = fillColumns(runs, columns, heals, startMs - originMs, asOfMs - originMs);
  return { columns, totals, heals };
}

/**
 * The loop of readWindow, on its own so that V8 compiles just the loop. Counts stay in local
 * variables until the end: unoptimized code updates those much faster than object properties.
 */
function fillColumns(
  runs: readonly RunRecord[],
  columns: Omit<WindowRuns, "order">,
  heals: SelfHealScan,
  fromAt: number,
  toAt: number,
) {
  const { index, completedAt, status, parity, retries, durationSec, retriesInt, durationInt } = columns;
  const reader = new UtcMsReader(columns.originMs);
  let count = 0;
  let success = 0;
  let failure = 0;
  let cancelled = 0;
  let retryInvocations = 0;
  let retried = 0;
  let retriedSuccess = 0;
  let exhausted = 0;
  let parityPass = 0;
  let earliestAt = Infinity;
  let latestAt = -Infinity;
  let sorted = true;
  let wholeDurations = true;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const at = reader.read(run.run_completed_at_utc);
    if (!(at > fromAt && at <= toAt)) continue;
    const p = count++;
    index[p] = i;
    completedAt[p] = at;
    if (at > latestAt) latestAt = at;
    else if (at < latestAt) sorted = false;
    if (at < earliestAt) earliestAt = at;
    const runStatus = run.status;
    if (runStatus === "success") {
      success++;
      status[p] = SUCCESS;
      heals.addSuccess(run, p);
    } else if (runStatus === "failure") {
      failure++;
      status[p] = FAILURE;
      heals.addFailure(run, p);
    } else {
      cancelled++;
      status[p] = CANCELLED;
    }
    const r = run.retries;
    retries[p] = r;
    retriesInt[p] = (r | 0) === r ? r : NOT_INT;
    if (r > 0) {
      retryInvocations += r;
      retried++;
      if (runStatus === "success") retriedSuccess++;
    }
    // Rare, so without a branch of its own: V8 would compile the loop before ever seeing it taken.
    exhausted += run.retry_exhausted === true ? 1 : 0;
    const passed = run.sha_parity ? 1 : 0;
    parity[p] = passed;
    parityPass += passed;
    const d = run.duration_sec;
    durationSec[p] = d;
    const di = (d | 0) === d ? d : NOT_INT;
    durationInt[p] = di;
    if (di === NOT_INT) wholeDurations = false;
  }
  columns.count = count;
  columns.wholeDurations = wholeDurations;
  return {
    success,
    failure,
    cancelled,
    retryInvocations,
    retried,
    retriedSuccess,
    exhausted,
    parityPass,
    sorted,
    earliestAt,
    latestAt,
  };
}
