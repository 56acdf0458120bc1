import { evaluateQualityGate } from "../control/decisions";
import type { EventFiles } from "../control/checklist-verify";
import type { Queryable } from "../db";
import type { RunRecord } from "../evidence/run-record";
import { DEFAULT_WINDOW_DAYS } from "./kpi-params";
import { getRunsCache, type Refresh, type RunsCache } from "./kpi-runs-cache";
import { computeKpis, SELF_HEAL_OBJECTIVE_SEC, toKpiGateFacts, type Kpis, type SelfHeal } from "./kpis";
import type { KpiGateFacts, QualityGateResult } from "./quality-gate";

/**
 * The KPI view's data (DESIGN §6, §9): the event's runs from the `runs` table (cached in process,
 * kept current by the change feed), the KPIs over `window_days` as of now by the one computeKpis,
 * and the quality gate. The gate always reads the Go/No-Go window (GATE_WINDOW_DAYS) through
 * getKpiGateFacts, the same call the Go/No-Go page and the decision make, so the two views never
 * disagree whatever window the KPI view shows.
 */
export const GATE_WINDOW_DAYS = DEFAULT_WINDOW_DAYS;
/** The late heals the view lists by name (the counts cover all of them). */
const LATE_LISTED = 10;

export interface SelfHealSummary {
  objective_sec: number;
  count: number;
  count_within_24h: number;
  count_over_24h: number;
  worst: SelfHeal | null;
  /** The slowest heals over the objective, slowest first. */
  late: SelfHeal[];
}

export type KpiFigures = Omit<Kpis, "self_heal" | "series">;

export interface KpiView {
  event: string;
  window_days: number;
  as_of: string;
  kpis: KpiFigures;
  self_heal: SelfHealSummary;
  series: Kpis["series"];
  gate: QualityGateResult;
  gate_window_days: number;
  /** Every run of the event in the table, whatever the window, and the latest completion. */
  event_runs: number;
  latest_completion_utc: string | null;
}

export interface KpiDataOptions {
  now?: Date;
  /** Tests pass their own; the app shares one per process. */
  cache?: RunsCache;
  /** What the runs read had to do (tests and the bench). */
  onRefresh?: (refresh: Refresh) => void;
}

async function readRuns(
  db: Queryable,
  event: string,
  options: KpiDataOptions,
): Promise<readonly RunRecord[]> {
  const { runs, refresh } = await (options.cache ?? getRunsCache()).getRuns(db, event);
  options.onRefresh?.(refresh);
  return runs;
}

/** The label the gate's messages give these facts: they are live, not an observer run's. */
const liveLabel = (windowDays: number) => `live, last ${windowDays} days`;

/**
 * computeKpis as of a whole second (the view prints no finer), remembered per runs list, window
 * and second: a change makes every open page ask at once (its refresh and its query, the KPI view
 * and the Go/No-Go gate), and the cache hands out the same list until the runs change.
 */
const computed = new WeakMap<readonly RunRecord[], Map<string, Kpis>>();
const REMEMBERED = 8;

function kpisAsOf(runs: readonly RunRecord[], now: Date, windowDays: number): Kpis {
  const second = Math.floor(now.getTime() / 1000);
  const key = `${windowDays}@${second}`;
  let byKey = computed.get(runs);
  if (!byKey) computed.set(runs, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const kpis = computeKpis(runs, { asOf: new Date(second * 1000), windowDays });
  byKey.set(key, kpis);
  for (const old of byKey.keys()) {
    if (byKey.size <= REMEMBERED) break;
    byKey.delete(old);
  }
  return kpis;
}

const gateFacts = (runs: readonly RunRecord[], now: Date): KpiGateFacts =>
  toKpiGateFacts(kpisAsOf(runs, now, GATE_WINDOW_DAYS), liveLabel(GATE_WINDOW_DAYS));

/** The KPI facts of the quality gate, as of now over the Go/No-Go window. */
export async function getKpiGateFacts(
  db: Queryable,
  event: string,
  options: KpiDataOptions = {},
): Promise<KpiGateFacts> {
  return gateFacts(await readRuns(db, event, options), options.now ?? new Date());
}

export async function getKpiView(
  db: Queryable,
  input: { event: string; files: EventFiles; windowDays: number },
  options: KpiDataOptions = {},
): Promise<KpiView> {
  const now = options.now ?? new Date();
  const runs = await readRuns(db, input.event, options);
  const kpis = kpisAsOf(runs, now, input.windowDays);
  const facts = gateFacts(runs, now);
  const { gate } = await evaluateQualityGate(db, input.event, input.files, { kpis: facts });
  const { self_heal, series, ...figures } = kpis;
  return {
    event: input.event,
    window_days: input.windowDays,
    as_of: kpis.as_of,
    kpis: figures,
    self_heal: summarizeSelfHeal(self_heal),
    series,
    gate,
    gate_window_days: GATE_WINDOW_DAYS,
    event_runs: runs.length,
    latest_completion_utc: latestCompletion(runs),
  };
}

/**
 * Run in the background when the dashboard starts (instrumentation.ts): the first KPI view then
 * finds the event's runs in the process's cache and RUNS_SUMMARY.json parsed for the checklist,
 * and is served in the 300 ms budget at 100,000 runs (DESIGN §11) instead of in ~2.5 s.
 */
export async function warmKpiView(
  db: Queryable,
  event: string,
  files: EventFiles,
  options: KpiDataOptions = {},
): Promise<void> {
  await getKpiView(db, { event, files, windowDays: DEFAULT_WINDOW_DAYS }, options);
}

/** The counts as computeKpis gives them; the worst heal and the slowest late ones by name. */
export function summarizeSelfHeal(selfHeal: Kpis["self_heal"]): SelfHealSummary {
  const slowest = [...selfHeal.healed].sort((a, b) => b.self_heal_sec - a.self_heal_sec);
  return {
    objective_sec: SELF_HEAL_OBJECTIVE_SEC,
    count: selfHeal.healed.length,
    count_within_24h: selfHeal.count_within_24h,
    count_over_24h: selfHeal.count_over_24h,
    worst: slowest[0] ?? null,
    late: slowest.filter((h) => h.self_heal_sec > SELF_HEAL_OBJECTIVE_SEC).slice(0, LATE_LISTED),
  };
}

// Memoized per runs list: the cache hands out the same array until a change replaces it.
const latestByList = new WeakMap<readonly RunRecord[], string | null>();

function latestCompletion(runs: readonly RunRecord[]): string | null {
  if (latestByList.has(runs)) return latestByList.get(runs) ?? null;
  let best = -Infinity;
  let latest: string | null = null;
  for (const run of runs) {
    const ms = Date.parse(run.run_completed_at_utc);
    if (ms > best) {
      best = ms;
      latest = run.run_completed_at_utc;
    }
  }
  latestByList.set(runs, latest);
  return latest;
}
