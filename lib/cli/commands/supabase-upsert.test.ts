import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { startDbServer } from "../../../test/support/db-server";
import { startPostgrestServer, type PostgrestServer } from "../../../test/support/postgrest-server";
import { openTestDatabase } from "../../../test/support/test-database";
import { getKillSwitchStatus, setKillSwitchState } from "../../control/kill-switch";
import type { Database } from "../../db";
import { openEmbedded } from "../../db/embedded";
import { KillSwitchEngagedError, ServiceRefusedError } from "../../errors";
import type { CommandContext } from "../command";
import { supabaseUpsertCommand } from "./supabase-upsert";

const KEY = "service-key-9e2f4a6b-cli-upsert";
const SHA = "cd".repeat(32);
const CANARY = "BODY-CANARY-never-printed";

const ROW_ARGS = (runId: string) => [
  "--run-id",
  runId,
  "--status",
  "success",
  "--duration",
  "12.5",
  "--validator-verdict",
  "pass",
  "--prov-sha",
  SHA,
  "--computed-sha",
  SHA,
  "--created-at",
  "2025-11-14T09:00:00Z",
  "--observed-at",
  "2025-11-14T09:05:00Z",
];

describe("supabase-upsert command", () => {
  let db: Database;
  let server: PostgrestServer;
  let root: string;

  beforeEach(async () => {
    db = await openTestDatabase();
    server = await startPostgrestServer({
      db,
      serviceKey: KEY,
      tables: ["phase4_audit_metrics", "metrics_copy"],
    });
    root = await fs.mkdtemp(path.join(os.tmpdir(), "supabase-upsert-cli-"));
    opened = 0;
  });
  afterEach(async () => {
    await server.stop();
    await db.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  let opened = 0;
  async function run(argv: string[], env: Record<string, string | undefined> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: CommandContext = {
      argv,
      env: {
        AUDITLOOP_ROOT: root,
        AUDIT_EVENT: "ev",
        SUPABASE_URL: server.url,
        SUPABASE_SERVICE_KEY: KEY,
        RETRY_BACKOFF_SCALE: "0",
        ...env,
      },
      stdout: { write: (chunk: string) => out.push(chunk) },
      stderr: { write: (chunk: string) => err.push(chunk) },
      signal: new AbortController().signal,
      database: async () => (opened++, db),
    };
    const code = await supabaseUpsertCommand.run(ctx);
    const result = { code, stdout: out.join(""), stderr: err.join("") };
    expect(result.stdout + result.stderr).not.toContain(KEY);
    expect(result.stdout + result.stderr).not.toContain(server.url);
    return result;
  }

  const posts = () => server.requests.filter((r) => r.method === "POST");

  it("exits 0 after [503, 503, 201], printing each decision and the response code", async () => {
    server.faults.push(503, 503, 201);
    const result = await run(ROW_ARGS("c1"));
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^attempt=1 status=503 decision=retry wait_ms=0 reason="HTTP 503: retry 1 of 3/),
      expect.stringMatching(/^attempt=2 status=503 decision=retry wait_ms=0 /),
      expect.stringMatching(/^attempt=3 status=201 decision=success wait_ms=0 /),
      "run_id=c1 table=phase4_audit_metrics response_code=201 outcome=success attempts=3 retries_exhausted=false",
    ]);
    expect(result.stderr).toBe("");
    expect(posts()).toHaveLength(3);
    expect((await db.query("select run_id from phase4_audit_metrics")).rows).toEqual([{ run_id: "c1" }]);
    const audit = await db.query<{ action: string; detail: { results: unknown[] } }>(
      "select action, detail from audit_log where action = 'metrics.upsert'",
    );
    expect(audit.rows[0]?.detail.results).toEqual([
      expect.objectContaining({ run_id: "c1", outcome: "success", response_code: 201, attempts: 3 }),
    ]);
  });

  it("exits 75 after exactly 4 requests on [503 × 4], records retry_exhausted and trips the kill switch", async () => {
    server.faults.push(503, 503, 503, 503);
    const result = await run([...ROW_ARGS("c2"), "--json"]);
    expect(result.code).toBe(75);
    expect(posts()).toHaveLength(4);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      exit_code: 75,
      response_code: 503,
      outcome: "exhausted",
      attempts: 4,
      retries_exhausted: true,
      kill_switch_tripped: true,
      decisions: [
        { decision: "retry" },
        { decision: "retry" },
        { decision: "retry" },
        { decision: "give-up-exhausted" },
      ],
    });
    expect(result.stderr).toMatch(/exhausted its retries after 4 attempts/);
    expect(result.stderr).toMatch(/kill_switch=engaged automatically \(supabase_5xx_streak\)/);
    const { rows } = await db.query(
      "select decision from retry_history where run_id = 'c2' order by id desc limit 1",
    );
    expect(rows).toEqual([{ decision: "give-up-exhausted" }]);
    expect((await getKillSwitchStatus(db)).state).toBe("engaged");
  });

  it.each([
    [422, /Supabase refused the upsert of run_id c3: HTTP 422: input error/],
    [403, /HTTP 403: suspect secrets; run scripts\/phase4-secrets-check\.sh/],
  ])("exits 78 after exactly 1 request on %i", async (status, message) => {
    server.faults.push({ status, body: JSON.stringify({ message: CANARY }) });
    const result = await run(ROW_ARGS("c3"));
    expect(result.code).toBe(78);
    expect(posts()).toHaveLength(1);
    expect(result.stdout).toMatch(new RegExp(`response_code=${status} outcome=refused attempts=1`));
    expect(result.stderr).toMatch(message);
    expect(result.stdout + result.stderr).not.toContain(CANARY);
  });

  it("exits 0 on 409 after 1 request", async () => {
    server.faults.push(409);
    const result = await run(ROW_ARGS("c4"));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/response_code=409 outcome=success attempts=1/);
    expect(posts()).toHaveLength(1);
  });

  it("waits what Retry-After says on a 429 (scaled), then succeeds in 2 requests", async () => {
    server.faults.push({ status: 429, headers: { "retry-after": "2" } }, 201);
    const started = performance.now();
    const result = await run(ROW_ARGS("c5"), { RETRY_BACKOFF_SCALE: "0.05" });
    expect(result.code).toBe(0);
    expect(posts()).toHaveLength(2);
    // 2 s × 0.05; the policy's own first 429 wait would print 50.
    expect(result.stdout).toMatch(/^attempt=1 status=429 decision=retry wait_ms=100 .*\(header\)/m);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("retries a reset connection and exits 0", async () => {
    server.faults.push("reset", 201);
    const result = await run(ROW_ARGS("c6"));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^attempt=1 status=none error=(UND_ERR_SOCKET|ECONNRESET) decision=retry/m);
    expect(posts()).toHaveLength(2);
  });

  it("--dry-run prints the row and sends nothing, without opening the database", async () => {
    const result = await run([...ROW_ARGS("c7"), "--dry-run", "--retries", "2", "--window-days", "7"]);
    expect(result.code).toBe(0);
    const [, json] = /^dry_run=true table=phase4_audit_metrics row=(.*)\n$/.exec(result.stdout) ?? [];
    expect(JSON.parse(json ?? "null")).toMatchObject({
      run_id: "c7",
      retries: 2,
      window_days: 7,
      prov_sha: SHA,
    });
    expect(server.requests).toHaveLength(0);
    expect(opened).toBe(0);
  });

  it("--table overrides SUPABASE_METRICS_TABLE and refuses a name that is not one", async () => {
    await db.exec("create table metrics_copy (like phase4_audit_metrics including all)");
    expect((await run([...ROW_ARGS("c8"), "--table", "metrics_copy"])).code).toBe(0);
    expect(posts()[0]?.path).toBe("/rest/v1/metrics_copy");
    expect((await db.query("select run_id from metrics_copy")).rows).toEqual([{ run_id: "c8" }]);
    await expect(run([...ROW_ARGS("c8"), "--table", "x; drop table y"])).rejects.toThrow(
      /--table: expected a table name/,
    );
  });

  it("names the flag of a bad value", async () => {
    await expect(
      run([...ROW_ARGS("c9").filter((a) => a !== "--duration" && a !== "12.5"), "--duration=-3"]),
    ).rejects.toThrow("--duration: expected a number > 0");
    await expect(
      run(ROW_ARGS("c9").filter((a, i, all) => a !== "--prov-sha" && all[i - 1] !== "--prov-sha")),
    ).rejects.toThrow(/--prov-sha is required/);
    await expect(run([...ROW_ARGS("c9"), "--retries-exhausted", "yes"])).rejects.toThrow(
      "--retries-exhausted: expected true or false (got 'yes')",
    );
  });

  it("refuses (78) when SUPABASE_URL is missing, naming it", async () => {
    await expect(run(ROW_ARGS("c10"), { SUPABASE_URL: "" })).rejects.toThrow(ServiceRefusedError);
    await expect(run(ROW_ARGS("c10"), { SUPABASE_URL: "" })).rejects.toThrow(/SUPABASE_URL is not set/);
  });

  it("refuses (3) while the kill switch is engaged, sending nothing", async () => {
    await setKillSwitchState(
      db,
      { id: "c", email: "c@x", role: "commander", via: "cli" },
      "engaged",
      "drill",
    );
    await expect(run(ROW_ARGS("c11"))).rejects.toThrow(KillSwitchEngagedError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("scripts/phase4-supabase-upsert.sh (bundled CLI as a process)", () => {
  const script = path.join(inject("cliRoot"), "scripts/phase4-supabase-upsert.sh");
  let root: string;
  let dbServer: { stop: () => Promise<void> };
  let db: Database;
  let server: PostgrestServer;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "supabase-upsert-sh-"));
    dbServer = await startDbServer(root);
    // The dashboard's database, reached over its socket: the PostgREST server writes into it.
    db = await openEmbedded(path.join(root, ".data"));
    server = await startPostgrestServer({ db, serviceKey: KEY });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await db?.close();
    await dbServer?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  /** Asynchronously: this process serves the PostgREST endpoint the script talks to. */
  async function sh(args: string[]) {
    // Only what the script needs: no settings leak in from the test's environment.
    const env = {
      NODE_ENV: process.env.NODE_ENV,
      PATH: process.env.PATH ?? "",
      HOME: root,
      AUDITLOOP_ROOT: root,
      AUDIT_EVENT: "ev",
      GITHUB_ACTOR: "ci",
      SUPABASE_URL: server.url,
      SUPABASE_SERVICE_KEY: KEY,
      RETRY_BACKOFF_SCALE: "0",
    };
    const child = spawn("bash", [script, ...args], { cwd: root, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(stdout + stderr).not.toContain(KEY);
    return { code, stdout, stderr };
  }

  it("upserts (0), exhausts and trips (75), then is refused by the kill switch (3) with no request", async () => {
    server.faults.push(503, 201);
    const ok = await sh(ROW_ARGS("s1"));
    expect(ok).toMatchObject({ code: 0, stderr: "" });
    expect(ok.stdout).toMatch(
      /run_id=s1 table=phase4_audit_metrics response_code=201 outcome=success attempts=2/,
    );
    expect((await db.query("select run_id from phase4_audit_metrics")).rows).toEqual([{ run_id: "s1" }]);

    server.faults.push(503, 503, 503, 503);
    const exhausted = await sh(ROW_ARGS("s2"));
    expect(exhausted.code).toBe(75);
    expect(server.requests).toHaveLength(6);
    expect((await getKillSwitchStatus(db)).reason).toMatch(/supabase_5xx_streak/);

    const refused = await sh(ROW_ARGS("s3"));
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/kill switch is engaged \(by system:auto-trip/);
    expect(server.requests).toHaveLength(6);
  });
});
