import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeRunRecord } from "../../test/support/run-record";
import { hoursBefore, insertRunRows } from "../../test/support/runs-table";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths, type EventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import { evaluateQualityGate } from "../control/decisions";
import type { Database } from "../db";
import { getKpiGateFacts, getKpiView, warmKpiView, type KpiDataOptions } from "./kpi-data";
import type { Refresh } from "./kpi-runs-cache";
import { createRunsCache } from "./kpi-runs-cache";

const NOW = new Date("2026-03-10T12:00:00Z");
let db: Database;
let root: string;
let paths: EventPaths;
let event = "";
let count = 0;
let refreshes: Refresh[] = [];
let options: KpiDataOptions;

const run = (id: string, hours: number, over: Record<string, unknown> = {}) =>
  makeRunRecord(id, {
    run_started_at_utc: hoursBefore(NOW, hours + 0.1),
    run_completed_at_utc: hoursBefore(NOW, hours),
    duration_sec: 360,
    workflow_name: "phase4-auto-audit",
    branch: "main",
    ...over,
  });

beforeAll(async () => {
  db = await openTestDatabase();
  root = await mkdtemp(path.join(os.tmpdir(), "auditloop-kpi-data-"));
  paths = getEventPaths(parseSettings({ AUDIT_EVENT: "kpi" }), root);
});
afterAll(async () => {
  await db.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  event = `kpi-${++count}`;
  refreshes = [];
  options = { now: NOW, cache: createRunsCache(), onRefresh: (r) => refreshes.push(r) };
  await insertRunRows(db, event, [
    run("recent-ok", 2),
    run("recent-mismatch", 5, { sha_parity: false, observer_notes: "digest differs" }),
    run("older-fail", 72, { status: "failure" }),
    // Healed 30 h after it failed: late against the 24 h objective.
    run("older-heal", 42, { trigger_mode: "retry", retry_origin: "older-fail", retries: 1 }),
    // Another branch: no later success of its stream heals it.
    run("last-week", 24 * 6, { retries: 3, retry_exhausted: true, status: "failure", branch: "release" }),
    run("too-old", 24 * 8),
  ]);
});

const view = (windowDays: number) => getKpiView(db, { event, files: paths, windowDays }, options);

describe("the KPI view's data", () => {
  it("computes the KPIs over the chosen window of the event's runs in the table", async () => {
    const day = await view(1);
    expect(day.kpis).toMatchObject({ total_runs: 2, success_count: 2, sha_parity_pass_rate: 0.5 });
    expect(day.kpis.observer_lag_sec).toBe(2 * 3600);
    const week = await view(7);
    expect(week.kpis).toMatchObject({
      total_runs: 5,
      failure_count: 2,
      retry_invocations: 4,
      retries_exhausted_count: 1,
      success_rate: 0.6,
    });
    expect(week).toMatchObject({ event, window_days: 7, as_of: "2026-03-10T12:00:00Z", event_runs: 6 });
    expect(week.latest_completion_utc).toBe(hoursBefore(NOW, 2));
    expect(week.series.daily.reduce((n, b) => n + b.total, 0)).toBe(5);
    expect(week.self_heal).toMatchObject({
      count: 1,
      count_over_24h: 1,
      objective_sec: 86_400,
      worst: { run_id: "older-fail", healed_by: "older-heal", self_heal_sec: 30 * 3600 },
      late: [{ run_id: "older-fail" }],
    });
  });

  it("reads the table once and then only what the change feed names", async () => {
    await view(7);
    await view(1);
    expect(refreshes).toEqual(["full", "none"]);
    await insertRunRows(db, event, [run("just-now", 0.01, { status: "failure" })]);
    const after = await view(1);
    expect(refreshes.at(-1)).toBe("partial");
    expect(after.kpis).toMatchObject({ total_runs: 3, failure_count: 1 });
  });

  it("has the runs read by the start-up warm-up, so the first request reads nothing", async () => {
    await warmKpiView(db, event, paths, options);
    expect(refreshes).toEqual(["full"]);
    const first = await view(30);
    expect(refreshes).toEqual(["full", "none"]);
    expect(first.event_runs).toBe(6);
  });

  it("computes once per second of as-of until the runs change", async () => {
    const first = await view(7);
    const again = await getKpiView(
      db,
      { event, files: paths, windowDays: 7 },
      { ...options, now: new Date(NOW.getTime() + 900) },
    );
    expect(again.series).toBe(first.series);
    const later = await getKpiView(
      db,
      { event, files: paths, windowDays: 7 },
      { ...options, now: new Date(NOW.getTime() + 1000) },
    );
    expect(later.series).not.toBe(first.series);
    expect(later.as_of).toBe("2026-03-10T12:00:01Z");
    await insertRunRows(db, event, [run("fresh", 0.5)]);
    const changed = await view(7);
    expect(changed.kpis.total_runs).toBe(first.kpis.total_runs + 1);
  });

  it("judges the quality gate on the Go/No-Go window, whatever window the view shows", async () => {
    const day = await view(1);
    const week = await view(7);
    // Over one day nothing failed; over the 7-day gate window 2 of 5 did.
    expect(day.kpis.success_rate).toBe(1);
    expect(day.gate).toEqual(week.gate);
    expect(day.gate_window_days).toBe(7);
    const reasons = Object.fromEntries(day.gate.reasons.map((r) => [r.check, r]));
    expect(reasons["kpi.success_rate"]).toMatchObject({
      outcome: "fail",
      message: "Success rate 60 % (threshold 95 %)",
    });
    expect(reasons["kpi.sha_parity"]?.outcome).toBe("fail");
    expect(reasons["kpi.retries_exhausted"]?.outcome).toBe("fail");
    expect(reasons["kpi.self_heal"]).toMatchObject({
      outcome: "fail",
      message: "1 run(s) healed later than 24 h",
    });
  });

  it("gives the Go/No-Go page the very gate the KPI view shows", async () => {
    const kpis = await getKpiGateFacts(db, event, options);
    const { gate } = await evaluateQualityGate(db, event, paths, { kpis });
    expect(gate).toEqual((await view(3)).gate);
    expect(kpis).toEqual({
      observerRunId: "live, last 7 days",
      shaParityPassRate: 0.8,
      successRate: 0.6,
      retriesExhaustedCount: 1,
      lateHealCount: 1,
    });
  });

  it("says where the event's runs are when none completed in the window", async () => {
    const other = `${event}-quiet`;
    await insertRunRows(db, other, [run("long-ago", 24 * 40)]);
    const quiet = await getKpiView(db, { event: other, files: paths, windowDays: 7 }, options);
    expect(quiet.kpis).toMatchObject({ total_runs: 0, success_rate: null, observer_lag_sec: null });
    expect(quiet).toMatchObject({ event_runs: 1, latest_completion_utc: hoursBefore(NOW, 24 * 40) });
    const reasons = quiet.gate.reasons.filter((r) => r.check === "kpi.success_rate");
    expect(reasons).toMatchObject([
      { outcome: "warn", message: "Success rate: no runs in the window (observer run live, last 7 days)" },
    ]);
  });
});
