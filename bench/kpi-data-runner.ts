// The two phases of bench/kpi-data.mjs, bundled by it with esbuild and run as child processes:
//   setup   DIR N: N runs into DIR/reports/bench/RUNS_SUMMARY.json and mirrored into DIR/data
//   measure DIR N: times the KPI view's data function in a fresh process (see bench/kpi-data.mjs)
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { getEventPaths } from "../lib/config/paths";
import { parseSettings } from "../lib/config/settings";
import { openDatabase, type Database } from "../lib/db";
import { mirrorRuns } from "../lib/db/runs-mirror";
import type { RunRecord } from "../lib/evidence/run-record";
import { readRunsSummary, writeRunsSummary } from "../lib/evidence/runs-summary";
import { evaluateQualityGate } from "../lib/control/decisions";
import { getLatestChangeId } from "../lib/live/change-feed";
import { getKpiView, warmKpiView } from "../lib/observer/kpi-data";
import { createRunsCache, type Refresh } from "../lib/observer/kpi-runs-cache";
import { loadEventRuns } from "../lib/observer/kpi-runs";
import { computeKpis, toKpiGateFacts } from "../lib/observer/kpis";

const [phase, dir = "", count = "0"] = process.argv.slice(2);
const EVENT = "bench";
const settings = parseSettings({ AUDIT_EVENT: EVENT, AUDIT_REPORTS_ROOT: path.join(dir, "reports") });
const files = getEventPaths(settings, dir);
const open = () => openDatabase({ DATABASE_URL: undefined, AUDIT_DATA_DIR: path.join(dir, "data") });

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
async function time<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
}
/**
 * CPU time of this process for a call (the embedded database runs in it too): the machine's other
 * load stretches wall time, much less this.
 */
async function cpuTime(fn: () => Promise<unknown>): Promise<number> {
  const started = process.cpuUsage();
  await fn();
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000;
}

/** Runs spread over the last 7 days: ~6 % failures, each retried once, ~1 % parity mismatches. */
function generate(n: number): RunRecord[] {
  const now = Date.now();
  const span = 7 * 86_400_000 - 60_000;
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const runs: RunRecord[] = [];
  let lastFailure: string | null = null;
  for (let i = 0; i < n; i++) {
    const done = now - span + Math.floor((span * i) / n);
    const duration = 30 + Math.floor(random() * 600);
    const retry: boolean = lastFailure !== null;
    const status: RunRecord["status"] = retry
      ? "success"
      : random() < 0.06
        ? "failure"
        : random() < 0.01
          ? "cancelled"
          : "success";
    const parity = random() >= 0.01;
    const runId = `run-${String(i).padStart(6, "0")}`;
    runs.push({
      run_id: runId,
      trigger_mode: retry ? "retry" : "scheduled",
      status,
      sha_parity: parity,
      retries: retry ? 1 : 0,
      retry_origin: retry ? lastFailure : null,
      run_started_at_utc: iso(done - duration * 1000),
      run_completed_at_utc: iso(done),
      duration_sec: duration,
      prov_sha: "",
      computed_sha: "",
      observer_run_id: "obs-bench",
      observer_notes: parity ? "" : "digest differs from the provenance",
      workflow_name: ["phase4-auto-audit", "build", "release"][i % 3] ?? "build",
      branch: "main",
      source: "auto",
    });
    lastFailure = status === "failure" ? runId : null;
  }
  return runs;
}

async function setup(db: Database): Promise<Record<string, number>> {
  const runs = generate(Number(count));
  mkdirSync(files.dir, { recursive: true });
  await writeRunsSummary(files.runsSummary, runs);
  const [mirrorMs] = await time(() => mirrorRuns(db, EVENT, runs));
  return { mirrorMs, bytes: statSync(files.runsSummary).size };
}

async function measure(db: Database): Promise<Record<string, number | string>> {
  const cache = createRunsCache();
  let refresh: Refresh = "none";
  // Each call a second after the last: the data function remembers an answer for its second, and
  // the bench times the computation, not that memory (timed on its own as `sameSecond`).
  let clock = Date.now();
  const view = (windowDays: number, now = new Date((clock += 1000))) =>
    getKpiView(db, { event: EVENT, files, windowDays }, { cache, now, onRefresh: (r) => (refresh = r) });

  // As the dashboard starts (instrumentation.ts): the warm-up in the background, then the first request.
  const [warmup] = await time(() => warmKpiView(db, EVENT, files, { cache, now: new Date((clock += 1000)) }));
  const [first] = await time(() => view(7));
  const warm7: number[] = [];
  const warm30: number[] = [];
  for (let i = 0; i < 15; i++) {
    warm7.push((await time(() => view(7)))[0]);
    warm30.push((await time(() => view(30)))[0]);
  }
  const cpu7: number[] = [];
  const cpu30: number[] = [];
  for (let i = 0; i < 15; i++) {
    cpu7.push(await cpuTime(() => view(7)));
    cpu30.push(await cpuTime(() => view(30)));
  }
  const [, answer] = await time(() => view(7));
  const sameSecond: number[] = [];
  for (let i = 0; i < 15; i++) sameSecond.push((await time(() => view(7, new Date(clock))))[0]);
  const stringify: number[] = [];
  let answerBytes = 0;
  for (let i = 0; i < 15; i++)
    stringify.push((await time(() => (answerBytes = JSON.stringify(answer).length)))[0]);
  const counts: number[] = [];
  for (let i = 0; i < 15; i++) {
    counts.push((await time(() => db.query("select count(*) from runs where event = $1", [EVENT])))[0]);
  }
  const feed: number[] = [];
  for (let i = 0; i < 15; i++) feed.push((await time(() => getLatestChangeId(db)))[0]);

  // The parts of a warm answer, each on its own.
  const { runs } = await cache.getRuns(db, EVENT);
  const compute: number[] = [];
  const gate: number[] = [];
  for (let i = 0; i < 7; i++) {
    const [ms, kpis] = await time(() => computeKpis(runs, { asOf: new Date(), windowDays: 7 }));
    compute.push(ms);
    const facts = toKpiGateFacts(kpis, "bench");
    gate.push((await time(() => evaluateQualityGate(db, EVENT, files, { kpis: facts })))[0]);
  }
  const [tableMs] = await time(() => loadEventRuns(db, EVENT));

  await db.query("update runs set status = 'failure' where event = $1 and run_id = 'run-000010'", [EVENT]);
  const [afterOne] = await time(() => view(7));
  const afterOneRefresh = refresh;

  // A mirror that rewrites 100 runs (one statement): the cache cannot tell which, and re-reads all.
  const file = await readRunsSummary(files.runsSummary);
  const changed = file.map((r, i) => (i % 1000 === 0 ? { ...r, retries: r.retries + 1 } : r));
  await mirrorRuns(db, EVENT, changed);
  const [afterBulk] = await time(() => view(7));
  return {
    warmup,
    first,
    warm7: median(warm7),
    warm30: median(warm30),
    cpu7: median(cpu7),
    cpu30: median(cpu30),
    sameSecond: median(sameSecond),
    stringifyMs: median(stringify),
    answerBytes,
    countMs: median(counts),
    feedMs: median(feed),
    computeMs: median(compute),
    gateMs: median(gate),
    tableMs,
    afterOne,
    afterOneRefresh,
    afterBulk,
    afterBulkRefresh: refresh,
  };
}

const db = await open();
try {
  const result = phase === "setup" ? await setup(db) : await measure(db);
  console.log(JSON.stringify(result));
} finally {
  await db.close();
}
