import { describe, expect, it } from "vitest";
import type { RunRecord } from "../evidence/run-record";
import { computeKpis, type Kpis, type SelfHeal, type SeriesBucket } from "./kpis";
import { percentileOfSorted } from "./percentile";

/**
 * computeKpis is written for speed (columns, one pass, a walk in completion order). This checks it
 * against the plain reading of DESIGN §6 below, on random runs that hit the awkward cases.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1e4) / 1e4);
const seconds = (value: number) => Math.round(value * 1e3) / 1e3;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

interface Timed {
  run: RunRecord;
  ms: number;
}

function percentiles(durations: number[]): [number | null, number | null] {
  const sorted = durations.filter((d) => d > 0).sort((a, b) => a - b);
  const at = (p: number) => {
    const value = percentileOfSorted(sorted, p);
    return value === null ? null : seconds(value);
  };
  return [at(0.5), at(0.9)];
}

function referenceSeries(runs: Timed[], step: number): SeriesBucket[] {
  const buckets = new Map<number, Timed[]>();
  for (const t of runs) {
    const key = t.ms - (t.ms % step);
    buckets.set(key, [...(buckets.get(key) ?? []), t]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([key, list]) => {
      const [p50, p90] = percentiles(list.map((t) => t.run.duration_sec));
      const success = list.filter((t) => t.run.status === "success").length;
      const failure = list.filter((t) => t.run.status === "failure").length;
      return {
        bucket_start_utc: iso(key),
        total: list.length,
        success,
        failure,
        cancelled: list.length - success - failure,
        parity_pass: list.filter((t) => t.run.sha_parity).length,
        retries: list.reduce((sum, t) => sum + t.run.retries, 0),
        p50_duration_sec: p50,
        p90_duration_sec: p90,
      };
    });
}

/** The self-heal rule as kpis.ts documents it, the obvious way. */
function referenceSelfHeals(runs: Timed[]): SelfHeal[] {
  const failures = new Map<string, Timed>();
  for (const t of runs) if (t.run.status === "failure") failures.set(t.run.run_id, t);
  // Successes per workflow_name, then branch (missing counts as ""), in the order first met.
  const streams = new Map<string, Map<string, Timed[]>>();
  for (const t of runs) {
    if (t.run.status !== "success") continue;
    const workflow = t.run.workflow_name ?? "";
    const byBranch = streams.get(workflow) ?? new Map<string, Timed[]>();
    streams.set(workflow, byBranch);
    byBranch.set(t.run.branch ?? "", [...(byBranch.get(t.run.branch ?? "") ?? []), t]);
  }
  const healedBy = new Map<string, Timed>();
  for (const byBranch of streams.values()) {
    for (const list of byBranch.values()) {
      for (const fix of list) {
        if (fix.run.trigger_mode !== "retry" && fix.run.retry_origin === null) continue;
        const seen = new Set<string>();
        let origin = fix.run.retry_origin;
        while (origin !== null && !seen.has(origin)) {
          seen.add(origin);
          const failed = failures.get(origin);
          if (!failed || failed.ms >= fix.ms) break;
          const earlier = healedBy.get(origin);
          if (!earlier || fix.ms < earlier.ms) healedBy.set(origin, fix);
          origin = failed.run.retry_origin;
        }
      }
    }
  }
  for (const [id, failed] of failures) {
    if (healedBy.has(id)) continue;
    const successes = streams.get(failed.run.workflow_name ?? "")?.get(failed.run.branch ?? "") ?? [];
    const next = successes.filter((s) => s.ms > failed.ms).sort((a, b) => a.ms - b.ms)[0];
    if (next) healedBy.set(id, next);
  }
  return [...healedBy.entries()]
    .map(([id, fix]) => ({ id, fix, failed: failures.get(id)! }))
    .sort((a, b) => a.failed.ms - b.failed.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ id, fix, failed }) => ({
      run_id: id,
      healed_by: fix.run.run_id,
      self_heal_sec: seconds((fix.ms - failed.ms) / 1000),
    }));
}

function referenceKpis(all: RunRecord[], asOf: Date, windowDays: number): Kpis {
  const asOfMs = asOf.getTime();
  const startMs = asOfMs - windowDays * DAY_MS;
  const runs = all
    .map((run) => ({ run, ms: Date.parse(run.run_completed_at_utc) }))
    .filter(({ ms }) => ms > startMs && ms <= asOfMs);
  const count = (keep: (run: RunRecord) => boolean) => runs.filter((t) => keep(t.run)).length;
  const success = count((r) => r.status === "success");
  const failure = count((r) => r.status === "failure");
  const retried = runs.filter((t) => t.run.retries > 0);
  const [p50, p90] = percentiles(runs.map((t) => t.run.duration_sec));
  const healed = referenceSelfHeals(runs);
  const late = healed.filter((h) => h.self_heal_sec > 86_400).length;
  return {
    as_of: iso(asOfMs),
    window_days: windowDays,
    total_runs: runs.length,
    success_count: success,
    failure_count: failure,
    cancelled_count: runs.length - success - failure,
    success_rate: rate(success, runs.length),
    retry_invocations: retried.reduce((sum, t) => sum + t.run.retries, 0),
    retry_success_rate: rate(retried.filter((t) => t.run.status === "success").length, retried.length),
    retries_exhausted_count: count((r) => r.retry_exhausted === true),
    sha_parity_pass_rate: rate(
      count((r) => r.sha_parity),
      runs.length,
    ),
    p50_latency_sec: p50,
    p90_latency_sec: p90,
    observer_lag_sec:
      runs.length === 0 ? null : seconds((asOfMs - Math.max(...runs.map((t) => t.ms))) / 1000),
    self_heal: { healed, count_within_24h: healed.length - late, count_over_24h: late },
    series: { hourly: referenceSeries(runs, HOUR_MS), daily: referenceSeries(runs, DAY_MS) },
  };
}

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

interface Shape {
  seed: number;
  count: number;
  asOf: Date;
  /** Completion times are spread over [asOf − spanMs, asOf + 2 days]. */
  spanMs: number;
  /** Times rounded to this many ms, so runs share instants. */
  grainMs: number;
  wholeDurations?: boolean;
  sortedByCompletion?: boolean;
}

/** Random runs covering the cases computeKpis treats specially. */
function generateRuns(shape: Shape, windowEdges: number[]): RunRecord[] {
  const rnd = random(shape.seed);
  const asOfMs = shape.asOf.getTime();
  const runs: RunRecord[] = [];
  const failedIds: string[] = [];
  const failedAt = new Map<string, number>();
  for (let i = 0; i < shape.count; i++) {
    const roll = rnd.next();
    let ms: number;
    if (roll < 0.03)
      ms = rnd.pick(windowEdges); // exactly on an edge of a window
    else if (roll < 0.05) ms = rnd.pick(windowEdges) + rnd.pick([-1000, -1, 1, 1000]);
    else ms = asOfMs - shape.spanMs + rnd.int(shape.spanMs + 2 * DAY_MS);
    ms -= ms % shape.grainMs;
    const status = rnd.pick(["success", "success", "success", "failure", "failure", "cancelled"] as const);
    const id = rnd.chance(0.02) && runs.length > 0 ? rnd.pick(runs).run_id : `run-${i}`; // a few duplicate ids
    let retryOrigin: string | null = null;
    const originRoll = rnd.next();
    if (originRoll < 0.25 && failedIds.length > 0)
      retryOrigin = rnd.pick(failedIds.slice(-20)); // a recent failure
    else if (originRoll < 0.3)
      retryOrigin = `run-${i + 1 + rnd.int(5)}`; // a later run: chains, cycles
    else if (originRoll < 0.33) retryOrigin = `unknown-${i}`;
    // Two failed runs naming each other: a loop for the retry walks to stop at.
    const previous = runs.at(-1);
    if (status === "failure" && previous?.status === "failure" && previous.retry_origin === `run-${i}`) {
      retryOrigin = previous.run_id;
    }
    const duration = shape.wholeDurations
      ? rnd.pick([0, -5, 1 + rnd.int(900), 30 + rnd.int(60)])
      : rnd.pick([0, -1.5, 0.25 + rnd.next() * 600, 1 + rnd.int(900), 1e-3]);
    const run: RunRecord = {
      run_id: id,
      trigger_mode: retryOrigin !== null || rnd.chance(0.1) ? rnd.pick(["retry", "scheduled"]) : "scheduled",
      status,
      sha_parity: rnd.chance(0.8),
      retries: rnd.pick([0, 0, 0, 1, 2, 3, 0.5]),
      retry_origin: retryOrigin,
      run_started_at_utc: new Date(ms - 60_000).toISOString(),
      run_completed_at_utc: timestamp(ms, rnd),
      duration_sec: duration,
      prov_sha: "",
      computed_sha: "",
      observer_run_id: "obs-1",
      observer_notes: "x",
    };
    if (rnd.chance(0.1)) run.retry_exhausted = rnd.chance(0.5);
    // Missing and empty workflow_name / branch are the same stream.
    const workflow = rnd.pick(["auto-audit", "auto-audit", "manual", "", undefined]);
    const branch = rnd.pick(["main", "main", "dev", "", undefined]);
    if (workflow !== undefined) run.workflow_name = workflow;
    if (branch !== undefined) run.branch = branch;
    if (status === "failure") {
      failedIds.push(id);
      failedAt.set(id, ms);
    }
    // A successful retry completed in the same second as the failure it names: it does not heal it.
    const originAt = failedAt.get(retryOrigin ?? "");
    if (status === "success" && originAt !== undefined && rnd.chance(0.1)) {
      run.run_completed_at_utc = timestamp(originAt, rnd);
    }
    runs.push(run);
    // Its twin in another stream, completed at the same instant: a tie between two retries.
    if (status === "success" && retryOrigin !== null && rnd.chance(0.15)) {
      runs.push({
        ...run,
        run_id: `${id}-twin`,
        workflow_name: rnd.pick(["auto-audit", "manual"]),
        branch: "dev",
      });
    }
  }
  if (shape.sortedByCompletion) {
    runs.sort((a, b) => Date.parse(a.run_completed_at_utc) - Date.parse(b.run_completed_at_utc));
  }
  return runs;
}

/** Mostly `…:SSZ`, the shape read digit by digit; some forms that go to Date.parse. */
function timestamp(ms: number, rnd: ReturnType<typeof random>): string {
  const full = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const roll = rnd.next();
  if (roll < 0.8 && ms % 1000 === 0) return full.replace(".000Z", "Z");
  if (roll < 0.9) return full.replace("Z", "+00:00").replace(".000+", "+");
  return full;
}

const AS_OF = new Date("2025-11-21T00:00:00Z");

describe("computeKpis against the plain reading of DESIGN §6", () => {
  const cases: { name: string; shape: Shape; windows: { asOf: Date; days: number }[] }[] = [
    {
      name: "unsorted runs over two weeks, second grain",
      shape: { seed: 1, count: 3000, asOf: AS_OF, spanMs: 14 * DAY_MS, grainMs: 1000 },
      windows: [
        { asOf: AS_OF, days: 7 },
        { asOf: AS_OF, days: 1 },
        { asOf: AS_OF, days: 0.5 },
        { asOf: new Date("2025-11-18T12:34:56.789Z"), days: 2.25 },
      ],
    },
    {
      name: "minute grain: many runs share an instant",
      shape: { seed: 2, count: 3000, asOf: AS_OF, spanMs: 3 * DAY_MS, grainMs: 60_000 },
      windows: [
        { asOf: AS_OF, days: 7 },
        { asOf: AS_OF, days: 1 / 3 },
      ],
    },
    {
      name: "runs already in completion order, whole-second durations",
      shape: {
        seed: 3,
        count: 2000,
        asOf: AS_OF,
        spanMs: 8 * DAY_MS,
        grainMs: 1000,
        wholeDurations: true,
        sortedByCompletion: true,
      },
      windows: [
        { asOf: AS_OF, days: 7 },
        { asOf: AS_OF, days: 2 },
      ],
    },
    {
      name: "windows longer than 24.8 days",
      shape: { seed: 4, count: 2000, asOf: AS_OF, spanMs: 120 * DAY_MS, grainMs: 1000 },
      windows: [
        { asOf: AS_OF, days: 30 },
        { asOf: AS_OF, days: 90 },
      ],
    },
    {
      name: "a window of millennia, before 1970 too",
      shape: { seed: 5, count: 1000, asOf: AS_OF, spanMs: 900 * 365 * DAY_MS, grainMs: 1000 },
      windows: [{ asOf: AS_OF, days: 1_000_000 }],
    },
    {
      name: "a window around the epoch",
      shape: {
        seed: 6,
        count: 1500,
        asOf: new Date("1970-01-02T06:00:00Z"),
        spanMs: 4 * DAY_MS,
        grainMs: 1000,
      },
      windows: [{ asOf: new Date("1970-01-02T06:00:00Z"), days: 3 }],
    },
  ];

  for (const { name, shape, windows } of cases) {
    it(name, () => {
      const edges = windows.flatMap(({ asOf, days }) => [asOf.getTime(), asOf.getTime() - days * DAY_MS]);
      const runs = generateRuns(shape, edges.map(Math.round));
      for (const { asOf, days } of windows) {
        const fast = computeKpis(runs, { asOf, windowDays: days });
        const reference = referenceKpis(runs, asOf, days);
        expect(fast).toEqual(reference);
        // The same keys in the same order: reports print them as they come.
        expect(JSON.stringify(fast)).toBe(JSON.stringify(reference));
        expect(fast.total_runs).toBeGreaterThan(0);
      }
    });
  }

  it("generates what it claims to cover", () => {
    const edges = [AS_OF.getTime(), AS_OF.getTime() - 7 * DAY_MS];
    const runs = generateRuns(
      { seed: 2, count: 3000, asOf: AS_OF, spanMs: 3 * DAY_MS, grainMs: 60_000 },
      edges,
    );
    const byId = new Map(runs.map((r) => [r.run_id, r]));
    const { healed } = referenceKpis(runs, AS_OF, 7).self_heal;
    const healedByRetry = healed.filter((h) => byId.get(h.healed_by)?.retry_origin !== null);
    expect(healedByRetry.length).toBeGreaterThan(10);
    expect(healed.length - healedByRetry.length).toBeGreaterThan(10);
    for (const edge of edges)
      expect(runs.some((r) => Date.parse(r.run_completed_at_utc) === edge)).toBe(true);
    expect(runs.some((r) => r.run_completed_at_utc.endsWith("+00:00"))).toBe(true);
    expect(runs.some((r) => /\.\d{3}Z$/.test(r.run_completed_at_utc))).toBe(true);
    // Two failures healed at the same instant: ordered by run_id.
    const at = (h: SelfHeal) => Date.parse(byId.get(h.run_id)!.run_completed_at_utc);
    expect(healed.some((h, i) => i > 0 && at(h) === at(healed[i - 1]!))).toBe(true);
    // A retry_origin chain through failed runs that comes back to where it started.
    const failed = new Map(runs.filter((r) => r.status === "failure").map((r) => [r.run_id, r]));
    const loops = [...failed.values()].some((start) => {
      const seen = new Set<string>();
      for (
        let r = failed.get(start.retry_origin ?? "");
        r && !seen.has(r.run_id);
        r = failed.get(r.retry_origin ?? "")
      ) {
        if (r.run_id === start.run_id) return true;
        seen.add(r.run_id);
      }
      return false;
    });
    expect(loops).toBe(true);
  });
});
