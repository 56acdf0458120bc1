import { InputError } from "../errors";
import type { RunRecord } from "../evidence/run-record";
import type { KpiGateFacts } from "./quality-gate";
import { percentileOfSorted } from "./percentile";

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

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** DESIGN §1: anything that broke is healed within 24 hours. */
export const SELF_HEAL_OBJECTIVE_SEC = 86_400;

/** Fractions 0..1 to 4 decimals; null when nothing was counted. */
const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1e4) / 1e4);
/** Seconds to the millisecond, so reports do not carry floating-point noise. */
const seconds = (value: number | null) => (value === null ? null : Math.round(value * 1e3) / 1e3);
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

interface Timed {
  run: RunRecord;
  completedMs: number;
}

export function computeKpis(runs: readonly RunRecord[], options: KpiOptions): Kpis {
  const asOfMs = options.asOf.getTime();
  if (Number.isNaN(asOfMs)) throw new InputError("as-of: expected a valid UTC date and time");
  if (!(options.windowDays > 0 && Number.isFinite(options.windowDays))) {
    throw new InputError(`window-days: expected a number > 0, got ${options.windowDays}`);
  }
  // The window is (asOf − windowDays, asOf]: a run completed exactly windowDays ago has left it.
  const startMs = asOfMs - options.windowDays * DAY_MS;

  const durations = new Float64Array(runs.length);
  let durationCount = 0;
  let success = 0;
  let failure = 0;
  let cancelled = 0;
  let retryInvocations = 0;
  let retried = 0;
  let retriedSuccess = 0;
  let exhausted = 0;
  let parityPass = 0;
  let latestMs = -Infinity;
  const hourly = createSeries();
  const daily = createSeries();
  const inWindow: Timed[] = [];

  for (const run of runs) {
    const completedMs = parseUtcMs(run.run_completed_at_utc);
    if (!(completedMs > startMs && completedMs <= asOfMs)) continue;
    inWindow.push({ run, completedMs });
    const ok = run.status === "success";
    if (ok) success++;
    else if (run.status === "failure") failure++;
    else cancelled++;
    if (run.retries > 0) {
      retryInvocations += run.retries;
      retried++;
      if (ok) retriedSuccess++;
    }
    if (run.retry_exhausted === true) exhausted++;
    if (run.sha_parity) parityPass++;
    if (run.duration_sec > 0) durations[durationCount++] = run.duration_sec;
    if (completedMs > latestMs) latestMs = completedMs;
    hourly.add(completedMs - (completedMs % HOUR_MS), run);
    daily.add(completedMs - (completedMs % DAY_MS), run);
  }

  const sorted = durations.subarray(0, durationCount).sort();
  const total = inWindow.length;
  const healed = findSelfHeals(inWindow);
  const late = healed.filter((h) => h.self_heal_sec > SELF_HEAL_OBJECTIVE_SEC).length;
  return {
    as_of: isoSeconds(asOfMs),
    window_days: options.windowDays,
    total_runs: total,
    success_count: success,
    failure_count: failure,
    cancelled_count: cancelled,
    success_rate: rate(success, total),
    retry_invocations: retryInvocations,
    retry_success_rate: rate(retriedSuccess, retried),
    retries_exhausted_count: exhausted,
    sha_parity_pass_rate: rate(parityPass, total),
    p50_latency_sec: seconds(percentileOfSorted(sorted, 0.5)),
    p90_latency_sec: seconds(percentileOfSorted(sorted, 0.9)),
    observer_lag_sec: total === 0 ? null : seconds((asOfMs - latestMs) / 1000),
    self_heal: { healed, count_within_24h: healed.length - late, count_over_24h: late },
    series: { hourly: sortBuckets(hourly.buckets), daily: sortBuckets(daily.buckets) },
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

type BucketTally = Omit<SeriesBucket, "bucket_start_utc" | "p50_duration_sec" | "p90_duration_sec"> & {
  durations: number[];
};

/**
 * Runs arrive mostly in completion order (the file is sorted, the mirror keeps it), so the
 * bucket of the previous run is usually the bucket of this one: remembered, it saves a lookup.
 */
function createSeries() {
  const buckets = new Map<number, BucketTally>();
  let lastKey = NaN;
  let last: BucketTally | undefined;
  return {
    buckets,
    add(key: number, run: RunRecord): void {
      if (key !== lastKey || !last) {
        last = buckets.get(key);
        if (!last) {
          last = {
            total: 0,
            success: 0,
            failure: 0,
            cancelled: 0,
            parity_pass: 0,
            retries: 0,
            durations: [],
          };
          buckets.set(key, last);
        }
        lastKey = key;
      }
      last.total++;
      if (run.status === "success") last.success++;
      else if (run.status === "failure") last.failure++;
      else last.cancelled++;
      if (run.sha_parity) last.parity_pass++;
      last.retries += run.retries;
      if (run.duration_sec > 0) last.durations.push(run.duration_sec);
    },
  };
}

function sortBuckets(buckets: Map<number, BucketTally>): SeriesBucket[] {
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, { durations, ...counts }]) => {
      const sorted = new Float64Array(durations).sort();
      return {
        bucket_start_utc: isoSeconds(key),
        ...counts,
        p50_duration_sec: seconds(percentileOfSorted(sorted, 0.5)),
        p90_duration_sec: seconds(percentileOfSorted(sorted, 0.9)),
      };
    });
}

/**
 * Self-heal rule (DESIGN §6, "first failure → success"), over runs in the window only:
 * 1. A successful retry (trigger_mode "retry" or a retry_origin set) heals the failed run its
 *    retry_origin names, and, walking retry_origin further back through failed runs, every earlier
 *    failure of the same chain: the first failure's self-heal time spans the whole chain.
 * 2. A failure still unhealed is healed by the next success (by completion time) of the same
 *    workflow_name + branch (missing values count as empty strings).
 * Only a success completed after the failure heals it; self_heal_sec = success completion −
 * failure completion. The list is ordered by the failure's completion, then run_id.
 */
function findSelfHeals(runs: readonly Timed[]): SelfHeal[] {
  const failures = new Map<string, Timed>();
  const successesByKey = new Streams();
  for (const t of runs) {
    if (t.run.status === "failure") failures.set(t.run.run_id, t);
    else if (t.run.status === "success") successesByKey.add(t);
  }
  if (failures.size === 0) return [];

  const healedBy = new Map<string, Timed>();
  for (const list of successesByKey.lists()) {
    for (const fix of list) {
      if (fix.run.trigger_mode !== "retry" && fix.run.retry_origin === null) continue;
      let origin = fix.run.retry_origin;
      const seen = new Set<string>();
      while (origin !== null && !seen.has(origin)) {
        seen.add(origin);
        const failed = failures.get(origin);
        if (!failed || failed.completedMs >= fix.completedMs) break;
        const earlier = healedBy.get(origin);
        if (!earlier || fix.completedMs < earlier.completedMs) healedBy.set(origin, fix);
        origin = failed.run.retry_origin;
      }
    }
    list.sort((a, b) => a.completedMs - b.completedMs);
  }

  for (const [id, failed] of failures) {
    if (healedBy.has(id)) continue;
    const next = firstAfter(successesByKey.get(failed.run), failed.completedMs);
    if (next) healedBy.set(id, next);
  }

  const healed: (SelfHeal & { at: number })[] = [];
  for (const [id, fix] of healedBy) {
    const failed = failures.get(id);
    if (!failed) continue;
    const sec = seconds((fix.completedMs - failed.completedMs) / 1000) ?? 0;
    healed.push({ run_id: id, healed_by: fix.run.run_id, self_heal_sec: sec, at: failed.completedMs });
  }
  healed.sort((a, b) => a.at - b.at || (a.run_id < b.run_id ? -1 : a.run_id > b.run_id ? 1 : 0));
  return healed.map(({ run_id, healed_by, self_heal_sec }) => ({ run_id, healed_by, self_heal_sec }));
}

/**
 * Date.parse dominates the pass at 100,000 runs; the common `YYYY-MM-DDTHH:MM:SSZ` shape is read
 * digit by digit instead (the schema already checked it is a real date), anything else via Date.parse.
 */
function parseUtcMs(v: string): number {
  if (v.length !== 20 || v.charCodeAt(19) !== 90 /* Z */) return Date.parse(v);
  const d = (i: number) => v.charCodeAt(i) - 48;
  const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  return Date.UTC(
    year,
    d(5) * 10 + d(6) - 1,
    d(8) * 10 + d(9),
    d(11) * 10 + d(12),
    d(14) * 10 + d(15),
    d(17) * 10 + d(18),
  );
}

/**
 * Successes per stream (workflow_name + branch, missing values as empty strings), keyed by the
 * two names in two maps: a joined key would cost a new string per run.
 */
class Streams {
  private readonly byWorkflow = new Map<string, Map<string, Timed[]>>();

  add(t: Timed): void {
    const workflow = t.run.workflow_name ?? "";
    let byBranch = this.byWorkflow.get(workflow);
    if (!byBranch) this.byWorkflow.set(workflow, (byBranch = new Map()));
    const branch = t.run.branch ?? "";
    const list = byBranch.get(branch);
    if (list) list.push(t);
    else byBranch.set(branch, [t]);
  }

  get(run: RunRecord): readonly Timed[] {
    return this.byWorkflow.get(run.workflow_name ?? "")?.get(run.branch ?? "") ?? [];
  }

  *lists(): Iterable<Timed[]> {
    for (const byBranch of this.byWorkflow.values()) yield* byBranch.values();
  }
}

/** The first success completed strictly after `ms` in a list sorted by completion (binary search). */
function firstAfter(sorted: readonly Timed[], ms: number): Timed | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid]?.completedMs ?? Infinity) <= ms) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}
