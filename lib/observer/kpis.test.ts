import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors";
import type { RunRecord } from "../evidence/run-record";
import { computeKpis, toKpiGateFacts } from "./kpis";

const AS_OF = new Date("2025-11-21T00:00:00Z");
const at = (hoursBeforeAsOf: number) =>
  new Date(AS_OF.getTime() - hoursBeforeAsOf * 3_600_000).toISOString().replace(".000Z", "Z");

function run(id: string, hoursBefore: number, over: Partial<RunRecord> = {}): RunRecord {
  return {
    run_id: id,
    trigger_mode: "scheduled",
    status: "success",
    sha_parity: true,
    retries: 0,
    retry_origin: null,
    run_started_at_utc: at(hoursBefore + 1),
    run_completed_at_utc: at(hoursBefore),
    duration_sec: 60,
    prov_sha: "",
    computed_sha: "",
    observer_run_id: "obs-1",
    observer_notes: "",
    workflow_name: "phase4-auto-audit",
    branch: "main",
    ...over,
  };
}

const kpis = (runs: RunRecord[], windowDays = 7, asOf = AS_OF) => computeKpis(runs, { asOf, windowDays });

describe("computeKpis", () => {
  it("reports zero counts and null rates for no runs", () => {
    const k = kpis([]);
    expect(k).toMatchObject({
      as_of: "2025-11-21T00:00:00Z",
      window_days: 7,
      total_runs: 0,
      success_count: 0,
      failure_count: 0,
      cancelled_count: 0,
      success_rate: null,
      retry_invocations: 0,
      retry_success_rate: null,
      retries_exhausted_count: 0,
      sha_parity_pass_rate: null,
      p50_latency_sec: null,
      p90_latency_sec: null,
      observer_lag_sec: null,
      self_heal: { healed: [], count_within_24h: 0, count_over_24h: 0 },
      series: { hourly: [], daily: [] },
    });
  });

  it("counts statuses, retries, parity and latency by hand-computed values", () => {
    const runs = [
      run("a", 10, { duration_sec: 10 }),
      run("b", 9, { duration_sec: 20, retries: 2, trigger_mode: "retry" }),
      run("c", 8, {
        status: "failure",
        duration_sec: 30,
        retries: 3,
        retry_exhausted: true,
        sha_parity: false,
        observer_notes: "x",
      }),
      run("d", 7, { status: "cancelled", duration_sec: 40 }),
      run("e", 2.5, { duration_sec: 50, retries: 1 }),
      run("f", 2, { status: "failure", duration_sec: 60, sha_parity: false, observer_notes: "x" }),
    ];
    const k = kpis(runs);
    expect(k.total_runs).toBe(6);
    expect([k.success_count, k.failure_count, k.cancelled_count]).toEqual([3, 2, 1]);
    expect(k.success_rate).toBe(0.5);
    expect(k.retry_invocations).toBe(6);
    expect(k.retry_success_rate).toBe(0.6667); // b and e succeeded, c failed
    expect(k.retries_exhausted_count).toBe(1);
    expect(k.sha_parity_pass_rate).toBe(0.6667);
    expect(k.p50_latency_sec).toBe(35); // h = 2.5 → 30 + 0.5·10
    expect(k.p90_latency_sec).toBe(55); // h = 4.5 → 50 + 0.5·10
    expect(k.observer_lag_sec).toBe(7200);
  });

  it("keeps the window as (asOf − windowDays, asOf]", () => {
    const runs = [
      run("exactly-window-ago", 24),
      run("just-inside", 23.999),
      run("at-as-of", 0),
      run("future", -0.001),
    ];
    const k = kpis(runs, 1);
    expect(k.total_runs).toBe(2);
    expect(k.observer_lag_sec).toBe(0);
    expect(k.series.hourly.map((b) => b.total)).toEqual([1, 1]);
  });

  it("recomputes the past: runs completed after as-of are left out", () => {
    const runs = [run("old", 48), run("new", 1)];
    const past = kpis(runs, 7, new Date(AS_OF.getTime() - 24 * 3_600_000));
    expect(past.total_runs).toBe(1);
    expect(past.observer_lag_sec).toBe(24 * 3600);
  });

  it("groups series per UTC hour and day, sorted", () => {
    const runs = [
      run("late", 0.5, { status: "failure", sha_parity: false, observer_notes: "x" }), // 2025-11-20T23:30
      run("early", 30), // 2025-11-19T18:00
      run("late2", 0.25), // 2025-11-20T23:45
    ];
    const k = kpis(runs);
    // Every run here took 60 s and none retried or was cancelled.
    const rest = { cancelled: 0, retries: 0, p50_duration_sec: 60, p90_duration_sec: 60 };
    expect(k.series.hourly).toEqual([
      { bucket_start_utc: "2025-11-19T18:00:00Z", total: 1, success: 1, failure: 0, parity_pass: 1, ...rest },
      { bucket_start_utc: "2025-11-20T23:00:00Z", total: 2, success: 1, failure: 1, parity_pass: 1, ...rest },
    ]);
    expect(k.series.daily).toEqual([
      { bucket_start_utc: "2025-11-19T00:00:00Z", total: 1, success: 1, failure: 0, parity_pass: 1, ...rest },
      { bucket_start_utc: "2025-11-20T00:00:00Z", total: 2, success: 1, failure: 1, parity_pass: 1, ...rest },
    ]);
  });

  it("gives each bucket its cancelled runs, retries and duration percentiles", () => {
    const runs = [
      run("a", 0.9, { duration_sec: 10, retries: 2, trigger_mode: "retry" }),
      run("b", 0.8, { duration_sec: 20, status: "cancelled" }),
      run("c", 0.7, { duration_sec: 30, retries: 1 }),
      run("d", 0.6, { duration_sec: 40 }),
      run("e", 30, { duration_sec: 99 }),
    ];
    const [, last] = kpis(runs).series.hourly;
    expect(last).toMatchObject({ total: 4, success: 3, cancelled: 1, retries: 3 });
    // R-7 over 10, 20, 30, 40: p50 = 25, p90 = 30 + 0.7 × 10
    expect(last?.p50_duration_sec).toBe(25);
    expect(last?.p90_duration_sec).toBe(37);
  });

  it("heals a failure by the successful retry naming it, back to the chain's first failure", () => {
    const runs = [
      run("f1", 50, { status: "failure" }),
      run("f2", 49, { status: "failure", trigger_mode: "retry", retry_origin: "f1" }),
      run("other-success", 48.5, { workflow_name: "phase3-manual-dispatch" }),
      run("fix", 20, { trigger_mode: "retry", retry_origin: "f2" }),
    ];
    const k = kpis(runs);
    expect(k.self_heal.healed).toEqual([
      { run_id: "f1", healed_by: "fix", self_heal_sec: 30 * 3600 },
      { run_id: "f2", healed_by: "fix", self_heal_sec: 29 * 3600 },
    ]);
    expect(k.self_heal.count_within_24h).toBe(0);
    expect(k.self_heal.count_over_24h).toBe(2);
    expect(toKpiGateFacts(k, "obs-9").lateHealCount).toBe(2);
  });

  it("falls back to the next success of the same workflow and branch", () => {
    const runs = [
      run("fail", 10, { status: "failure" }),
      run("other-branch", 9, { branch: "dev" }),
      run("next", 8),
      run("later", 7),
      run("never-healed", 1, { status: "failure", branch: "dev" }),
    ];
    const k = kpis(runs);
    expect(k.self_heal.healed).toEqual([{ run_id: "fail", healed_by: "next", self_heal_sec: 7200 }]);
    expect(k.self_heal.count_within_24h).toBe(1);
    expect(k.self_heal.count_over_24h).toBe(0);
  });

  it("does not let a success completed before the failure heal it", () => {
    const runs = [
      run("fix", 10, { trigger_mode: "retry", retry_origin: "fail" }),
      run("fail", 5, { status: "failure" }),
    ];
    expect(kpis(runs).self_heal.healed).toEqual([]);
  });

  it("refuses an invalid as-of or window", () => {
    expect(() => kpis([], 0)).toThrow(InputError);
    expect(() => kpis([], 7, new Date("nope"))).toThrow(/as-of/);
  });

  it("keeps counts summing to total_runs and rates within 0..1", () => {
    const arbRun = fc.record({
      h: fc.double({ min: -48, max: 24 * 10, noNaN: true }),
      status: fc.constantFrom("success", "failure", "cancelled" as const),
      retries: fc.nat(4),
      parity: fc.boolean(),
      duration: fc.double({ min: 0.5, max: 5000, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(arbRun, { maxLength: 60 }), fc.integer({ min: 1, max: 14 }), (specs, days) => {
        const runs = specs.map((s, i) =>
          run(`r${i}`, s.h, {
            status: s.status,
            retries: s.retries,
            sha_parity: s.parity,
            duration_sec: s.duration,
          }),
        );
        const k = kpis(runs, days);
        expect(k.success_count + k.failure_count + k.cancelled_count).toBe(k.total_runs);
        expect(k.series.daily.reduce((n, b) => n + b.total, 0)).toBe(k.total_runs);
        for (const r of [k.success_rate, k.sha_parity_pass_rate, k.retry_success_rate]) {
          if (r !== null) expect(r).toBeGreaterThanOrEqual(0);
          if (r !== null) expect(r).toBeLessThanOrEqual(1);
        }
        expect(k.p50_latency_sec ?? 0).toBeLessThanOrEqual(k.p90_latency_sec ?? 0);
      }),
    );
  });

  // Speed is measured by bench/ (DESIGN §11), not asserted here.
  it("computes 100,000 runs: the window edge and every heal found", () => {
    const base = AS_OF.getTime() - 7 * 86_400_000;
    const runs = Array.from({ length: 100_000 }, (_, i) => {
      const done = new Date(base + i * 6_000).toISOString().replace(".000Z", "Z");
      return run(`run-${i}`, 0, {
        run_completed_at_utc: done,
        run_started_at_utc: done,
        status: i % 20 === 0 ? "failure" : "success",
        trigger_mode: i % 20 === 1 ? "retry" : "scheduled",
        retry_origin: i % 20 === 1 ? `run-${i - 1}` : null,
        retries: i % 20 === 1 ? 1 : 0,
        duration_sec: 30 + (i % 97),
      });
    });
    const k = computeKpis(runs, { asOf: AS_OF, windowDays: 7 });
    expect(k.total_runs).toBe(99_999); // run-0 sits exactly windowDays before as-of
    expect(k.self_heal.healed).toHaveLength(4_999);
  });
});
