import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { startDbServer } from "../../../test/support/db-server";
import { startPostgrestServer, type PostgrestServer } from "../../../test/support/postgrest-server";
import { makeRunRecord } from "../../../test/support/run-record";
import { startSlackReceiver, type SlackReceiver } from "../../../test/support/slack-receiver";
import type { Database } from "../../db";
import { openEmbedded } from "../../db/embedded";

/**
 * scripts/phase4-observer-report.sh end to end: the bundled CLI as a process, the embedded
 * database served by another process (as the dashboard does), a PostgREST stand-in and a Slack
 * receiver on 127.0.0.1.
 */
const scripts = path.join(inject("cliRoot"), "scripts");
const cli = path.join(inject("cliRoot"), "dist/cli/main.mjs");
const KEY = "service-key-CANARY-4b1e9d7c";
const NOTE_SECRET = `notes with ${KEY} and ghp_CanaryCanaryCanaryCanary0123456789`;
const AS_OF = "2025-11-21T00:00:00Z";

let root: string;
let dbServer: { stop: () => Promise<void> };
let db: Database;
let postgrest: PostgrestServer;
let slack: SlackReceiver;
const eventDir = () => path.join(root, "docs/reports/ev");
const file = (name: string) => path.join(eventDir(), name);

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "observer-report-cli-"));
  dbServer = await startDbServer(root);
  db = await openEmbedded(path.join(root, ".data"));
  postgrest = await startPostgrestServer({ db, serviceKey: KEY });
  slack = await startSlackReceiver();
}, 120_000);

afterAll(async () => {
  await slack?.close();
  await postgrest?.stop();
  await db?.close();
  await dbServer?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

/** Runs a script without blocking this process: the servers it talks to live here. */
function sh(
  command: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [first, ...args] = command;
  const exe = first === "cli" ? process.execPath : "bash";
  const argv = first === "cli" ? [cli, ...args] : [path.join(scripts, `phase4-${first}.sh`), ...args];
  const child = spawn(exe, argv, {
    cwd: root,
    env: {
      NODE_ENV: process.env.NODE_ENV,
      PATH: process.env.PATH ?? "",
      HOME: root,
      AUDITLOOP_ROOT: root,
      AUDIT_EVENT: "ev",
      GITHUB_ACTOR: "ci",
      RETRY_BACKOFF_SCALE: "0",
      ...env,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

const report = (args: string[] = [], env: Record<string, string> = {}) =>
  sh(["observer-report", "--observer-run-id", "obs-1", "--as-of", AS_OF, ...args], env);
const upsertEnv = () => ({ SUPABASE_URL: postgrest.url, SUPABASE_SERVICE_KEY: KEY });
const withoutChangeLogs = (text: string) => text.replace(/^- \S+ observer run `[^`]+` .*\n/gm, "");

async function writeRuns(runs: Record<string, unknown>[]) {
  await fs.mkdir(eventDir(), { recursive: true });
  await fs.writeFile(file("RUNS_SUMMARY.json"), `${JSON.stringify(runs, null, 2)}\n`);
}

const inWindow = (id: string, extra: Record<string, unknown> = {}) =>
  makeRunRecord(id, {
    run_started_at_utc: "2025-11-20T09:00:00Z",
    run_completed_at_utc: "2025-11-20T09:04:00Z",
    ...extra,
  });

describe("scripts/phase4-observer-report.sh", () => {
  beforeEach(() => {
    postgrest.faults.length = 0;
    postgrest.requests.length = 0;
  });

  it("on the sample event: both summaries, the excerpt, a KPI snapshot and the mirror; a re-run changes only the change logs", async () => {
    expect((await sh(["cli", "sample", "--event", "ev"])).code).toBe(0);
    // The key is configured (so it is a secret the masker knows) though nothing is upserted.
    const env = { ...upsertEnv(), SLACK_WEBHOOK_URL: slack.webhookUrl };
    const first = await report(["--notes", NOTE_SECRET], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^observer_run_id=obs-1 event=ev as_of=2025-11-21T00:00:00Z window_days=7 total_runs=200 gate=fail mirror=unchanged upserted=none slack=posted exit_code=0\n$/,
    );
    expect(first.stderr).toMatch(
      /observer-report: read: 200 runs .* in \d+ ms\nobserver-report: mirror: unchanged/,
    );
    const files = ["PHASE3_AUDIT_SUMMARY.md", "AUTO_OBSERVER_SUMMARY.md", "RUNS_SUMMARY.json"];
    const before = await Promise.all(files.map((f) => fs.readFile(file(f), "utf8")));
    expect(before[1]).toContain("### Observer Run `obs-1`");
    expect(before[0]).toContain("| total_runs | 200 |");

    const second = await report(["--notes", NOTE_SECRET], env);
    expect(second.code).toBe(0);
    const after = await Promise.all(files.map((f) => fs.readFile(file(f), "utf8")));
    expect(after.map(withoutChangeLogs)).toEqual(before.map(withoutChangeLogs));
    expect(after[2]).toBe(before[2]);
    for (const text of [after[0], after[1]]) expect(text?.match(/ observer run `obs-1` /g)).toHaveLength(2);

    const excerpt = await fs.readFile(file("slack_excerpts/obs-1-summary.md"), "utf8");
    expect(excerpt).toMatch(
      /- \*\*status\*\*: failure\n.*\n- \*\*summary\*\*: observer obs-1 \(ev\): 200 runs\/7d/s,
    );
    expect(slack.payloads).toHaveLength(2);
    const { rows } = await db.query<{ n: number; snapshots: number }>(
      "select (select count(*)::int from runs where event = 'ev') as n, (select count(*)::int from kpi_snapshots where event = 'ev' and observer_run_id = 'obs-1') as snapshots",
    );
    expect(rows[0]).toEqual({ n: 200, snapshots: 2 });
    const everything = [first.stdout, first.stderr, ...after, excerpt, JSON.stringify(slack.payloads)].join(
      "\n",
    );
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain("ghp_Canary");
  }, 120_000);

  it("--supabase-upsert sends one row per run in the window and records each answer on the run", async () => {
    await writeRuns([
      makeRunRecord("old", {
        run_started_at_utc: "2025-11-01T09:00:00Z",
        run_completed_at_utc: "2025-11-01T09:04:00Z",
      }),
      inWindow("a"),
      inWindow("b"),
    ]);
    postgrest.faults.push(503, 201);
    const result = await report(["--supabase-upsert", "--json"], upsertEnv());
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      total_runs: 2,
      upsert: { rows: 2, codes: { "201": 2 }, retry_exhausted: false },
      mirror: [
        { mode: "diff", written: 3 },
        { mode: "diff", written: 2 },
      ],
    });
    const runs = JSON.parse(await fs.readFile(file("RUNS_SUMMARY.json"), "utf8")) as Record<
      string,
      unknown
    >[];
    expect(runs.map((r) => [r.run_id, r.supabase_response_code, r.retry_exhausted])).toEqual([
      ["old", undefined, undefined],
      ["a", 201, false],
      ["b", 201, false],
    ]);
    expect(await fs.readFile(file("AUTO_OBSERVER_SUMMARY.md"), "utf8")).toContain(
      "- Supabase upsert: 2 row(s) to phase4_audit_metrics; response codes 201 ×2; retry_exhausted=false",
    );
    const stored = await db.query(
      "select run_id, supabase_response_code from runs where event = 'ev' order by run_id",
    );
    expect(stored.rows).toEqual([
      { run_id: "a", supabase_response_code: 201 },
      { run_id: "b", supabase_response_code: 201 },
      { run_id: "old", supabase_response_code: null },
    ]);
  }, 60_000);

  it("exits 75 when an upsert exhausts its retries (429 × 4) and records retry_exhausted=true", async () => {
    await writeRuns([inWindow("a"), inWindow("b")]);
    postgrest.faults.push(429, 429, 429, 429);
    const result = await report(["--supabase-upsert"], upsertEnv());
    expect(result.code).toBe(75);
    expect(result.stderr).toContain(
      "error: the metrics upsert of run_id a exhausted its retries after 4 attempts (last answer 429)",
    );
    const runs = JSON.parse(await fs.readFile(file("RUNS_SUMMARY.json"), "utf8")) as Record<
      string,
      unknown
    >[];
    expect(runs.map((r) => [r.run_id, r.supabase_response_code, r.retry_exhausted])).toEqual([
      ["a", 429, true],
      ["b", 201, false],
    ]);
    expect(await fs.readFile(file("AUTO_OBSERVER_SUMMARY.md"), "utf8")).toContain(
      "response codes 201 ×1, 429 ×1; retry_exhausted=true for 1 row(s): `a`",
    );
  }, 60_000);

  it("exits 78 on a non-retryable answer (422), and without SUPABASE_URL before writing anything", async () => {
    await writeRuns([inWindow("a")]);
    postgrest.faults.push(422);
    const refused = await report(["--supabase-upsert"], upsertEnv());
    expect(refused.code).toBe(78);
    expect(refused.stderr).toContain(
      "error: Supabase refused the metrics upsert of run_id a (HTTP 422, not retried)",
    );

    const snapshot = await fs.readFile(file("AUTO_OBSERVER_SUMMARY.md"), "utf8");
    const missing = await report(["--supabase-upsert"]);
    expect(missing).toMatchObject({ code: 78, stdout: "" });
    expect(missing.stderr).toMatch(/^error: SUPABASE_URL is not set/m);
    expect(await fs.readFile(file("AUTO_OBSERVER_SUMMARY.md"), "utf8")).toBe(snapshot);
  }, 60_000);

  it("exits 3 when the upsert's 5xx answers trip the kill switch, recording nothing on the runs", async () => {
    await writeRuns([inWindow("a"), inWindow("b")]);
    const before = await fs.readFile(file("RUNS_SUMMARY.json"), "utf8");
    postgrest.faults.push(503, 503, 503, 503);
    const result = await report(["--supabase-upsert"], upsertEnv());
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /automatic trip \(supabase_5xx_streak\): 3 consecutive 5xx answers .*; 1 of 2 metrics row\(s\) not upserted/,
    );
    expect(await fs.readFile(file("RUNS_SUMMARY.json"), "utf8")).toBe(before);
    const status = await sh(["killswitch", "status", "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: "engaged" });
    expect((await sh(["killswitch", "release"])).code).toBe(0);
  }, 60_000);

  it("exits 3 and writes nothing while the kill switch is engaged", async () => {
    await writeRuns([inWindow("a")]);
    expect((await sh(["killswitch", "engage", "--reason", "drill"])).code).toBe(0);
    const before = await fs.readFile(file("PHASE3_AUDIT_SUMMARY.md"), "utf8");
    const refused = await report();
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/kill switch is engaged \(by cli:github:ci at \S+: drill\)/);
    expect(await fs.readFile(file("PHASE3_AUDIT_SUMMARY.md"), "utf8")).toBe(before);
    expect((await sh(["killswitch", "release"])).code).toBe(0);
  }, 60_000);

  it("exits 1 naming the flag for a bad --as-of, --window-days or --observer-run-id", async () => {
    expect(
      (await sh(["observer-report", "--observer-run-id", "obs-1", "--as-of", "yesterday"])).stderr,
    ).toContain("--as-of: expected an ISO 8601 UTC timestamp");
    expect(
      (await sh(["observer-report", "--observer-run-id", "obs-1", "--window-days", "0"])).stderr,
    ).toContain("--window-days: expected an integer from 1 to 366 (got '0')");
    const bad = await sh(["observer-report", "--observer-run-id", "../x"]);
    expect(bad).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--observer-run-id: expected 1-100 letters"),
    });
  }, 60_000);
});
