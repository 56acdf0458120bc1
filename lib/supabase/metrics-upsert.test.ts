import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startPostgrestServer, type PostgrestServer } from "../../test/support/postgrest-server";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import { getKillSwitchStatus, setKillSwitchState } from "../control/kill-switch";
import type { Database } from "../db";
import { InputError, KillSwitchEngagedError, ServiceRefusedError } from "../errors";
import {
  UpsertHaltedError,
  upsertMetricsRows,
  type MetricsRowInput,
  type UpsertDecision,
} from "./metrics-upsert";

const KEY = "service-key-5d1b0c7e-metrics-upsert";
const SHA = "ab".repeat(32);
const CANARY = "BODY-CANARY-do-not-store";

let db: Database;
let server: PostgrestServer;
let root: string;

beforeEach(async () => {
  db = await openTestDatabase();
  server = await startPostgrestServer({ db, serviceKey: KEY });
  root = await fs.mkdtemp(path.join(os.tmpdir(), "metrics-upsert-"));
});
afterEach(async () => {
  await server.stop();
  await db.close();
  await fs.rm(root, { recursive: true, force: true });
});

const settings = (env: Record<string, string> = {}) =>
  parseSettings({
    SUPABASE_URL: server.url,
    SUPABASE_SERVICE_KEY: KEY,
    RETRY_BACKOFF_SCALE: "0",
    AUDIT_EVENT: "ev",
    ...env,
  });

const row = (runId: string, extra: Partial<MetricsRowInput> = {}): MetricsRowInput => ({
  run_id: runId,
  status: "success",
  duration_sec: 42.5,
  validator_verdict: "pass",
  prov_sha: SHA,
  computed_sha: SHA,
  created_at: "2025-11-14T09:00:00Z",
  observed_at: "2025-11-14T09:05:00Z",
  window_days: 7,
  ...extra,
});

const posts = () => server.requests.filter((r) => r.method === "POST");

async function history(runId: string) {
  const { rows } = await db.query<{
    attempt: number;
    status_code: number | null;
    decision: string;
    wait_ms: number;
  }>(
    "select attempt, status_code, decision, wait_ms from retry_history where service = 'supabase' and operation = 'upsert' and run_id = $1 order by id",
    [runId],
  );
  return rows;
}

describe("upsertMetricsRows against the local PostgREST server", () => {
  it("succeeds after exactly 3 POSTs on [503, 503, 201] and the row lands in phase4_audit_metrics", async () => {
    server.faults.push(503, 503, 201);
    const results = await upsertMetricsRows([row("r1")], { settings: settings(), db });
    expect(results).toEqual([
      {
        runId: "r1",
        outcome: "success",
        responseCode: 201,
        attempts: 3,
        retryExhausted: false,
        tripped: false,
      },
    ]);
    expect(posts()).toHaveLength(3);
    for (const request of posts()) {
      expect(request).toMatchObject({
        path: "/rest/v1/phase4_audit_metrics",
        query: { on_conflict: "run_id" },
        headers: { prefer: "resolution=merge-duplicates" },
        body: { run_id: "r1", retries: 0, retries_exhausted: false },
      });
      expect(request.headers).not.toHaveProperty("x-retry-count");
    }
    const { rows } = await db.query(
      "select run_id, status, duration_sec, window_days from phase4_audit_metrics",
    );
    expect(rows).toEqual([{ run_id: "r1", status: "success", duration_sec: 42.5, window_days: 7 }]);
    expect(await history("r1")).toEqual([
      { attempt: 1, status_code: 503, decision: "retry", wait_ms: 0 },
      { attempt: 2, status_code: 503, decision: "retry", wait_ms: 0 },
      { attempt: 3, status_code: 201, decision: "success", wait_ms: 0 },
    ]);
  });

  it("gives up after exactly 4 POSTs on [503 × 4], recording retry_exhausted in the result and retry_history", async () => {
    server.faults.push(503, 503, 503, 503, 201);
    const [result] = await upsertMetricsRows([row("r2")], { settings: settings(), db });
    expect(result).toMatchObject({
      outcome: "exhausted",
      responseCode: 503,
      attempts: 4,
      retryExhausted: true,
    });
    expect(posts()).toHaveLength(4);
    expect((await history("r2")).map((h) => h.decision)).toEqual([
      "retry",
      "retry",
      "retry",
      "give-up-exhausted",
    ]);
    expect((await db.query("select 1 from phase4_audit_metrics")).rows).toEqual([]);
  });

  it.each([
    [422, /input error/],
    [403, /scripts\/phase4-secrets-check\.sh/],
  ])("refuses %i after exactly 1 POST", async (status, reason) => {
    server.faults.push(status, 201);
    const decisions: UpsertDecision[] = [];
    const [result] = await upsertMetricsRows([row("r3")], {
      settings: settings(),
      db,
      onDecision: (d) => decisions.push(d),
    });
    expect(result).toMatchObject({
      outcome: "refused",
      responseCode: status,
      attempts: 1,
      retryExhausted: false,
    });
    expect(posts()).toHaveLength(1);
    expect(decisions[0]?.decision.reason).toMatch(reason);
  });

  it("counts 409 as success after 1 POST", async () => {
    server.faults.push(409);
    const [result] = await upsertMetricsRows([row("r4")], { settings: settings(), db });
    expect(result).toMatchObject({ outcome: "success", responseCode: 409, attempts: 1 });
    expect(posts()).toHaveLength(1);
  });

  it("takes the 429 wait from Retry-After, scaled, in 2 POSTs", async () => {
    server.faults.push({ status: 429, headers: { "retry-after": "2" } }, 201);
    const waits: number[] = [];
    const [result] = await upsertMetricsRows([row("r5")], {
      settings: settings({ RETRY_BACKOFF_SCALE: "0.5" }),
      db,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(result).toMatchObject({ outcome: "success", attempts: 2 });
    expect(posts()).toHaveLength(2);
    // The policy's own first 429 wait would be 1 s × 0.5 = 500 ms; the header's 2 s × 0.5 wins.
    expect(waits).toEqual([1_000]);
    expect((await history("r5"))[0]).toMatchObject({ status_code: 429, decision: "retry", wait_ms: 1_000 });
  });

  it("retries a reset connection as a 5xx and records it without a status", async () => {
    server.faults.push("reset", 201);
    const decisions: UpsertDecision[] = [];
    const [result] = await upsertMetricsRows([row("r6")], {
      settings: settings(),
      db,
      onDecision: (d) => decisions.push(d),
    });
    expect(result).toMatchObject({ outcome: "success", responseCode: 201, attempts: 2 });
    expect(posts()).toHaveLength(2);
    expect(decisions[0]).toMatchObject({
      runId: "r6",
      errorCode: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/),
    });
    expect((await history("r6"))[0]).toMatchObject({ status_code: null, decision: "retry" });
  });

  it("retries a request that times out", async () => {
    server.faults.push("stall", 201);
    const decisions: UpsertDecision[] = [];
    const [result] = await upsertMetricsRows([row("r7")], {
      settings: settings(),
      db,
      timeoutMs: 1_500,
      onDecision: (d) => decisions.push(d),
    });
    expect(result).toMatchObject({ outcome: "success", attempts: 2 });
    expect(decisions[0]).toMatchObject({ errorCode: "TimeoutError", decision: { kind: "retry" } });
    expect(posts()).toHaveLength(2);
  });

  it("upserts many rows one request each, replacing a run_id already there", async () => {
    await upsertMetricsRows([row("m1", { status: "failure" })], { settings: settings(), db });
    const results = await upsertMetricsRows([row("m1"), row("m2", { retries: 2, retries_exhausted: true })], {
      settings: settings(),
      db,
    });
    expect(results.map((r) => [r.runId, r.outcome])).toEqual([
      ["m1", "success"],
      ["m2", "success"],
    ]);
    expect(posts()).toHaveLength(3);
    const { rows } = await db.query(
      "select run_id, status, retries, retries_exhausted from phase4_audit_metrics order by run_id",
    );
    expect(rows).toEqual([
      { run_id: "m1", status: "success", retries: 0, retries_exhausted: false },
      { run_id: "m2", status: "success", retries: 2, retries_exhausted: true },
    ]);
  });

  it("never keeps a response body: results, decisions and retry_history carry codes only", async () => {
    server.faults.push(
      { status: 503, body: CANARY },
      { status: 422, body: JSON.stringify({ message: CANARY }) },
    );
    const decisions: UpsertDecision[] = [];
    const results = await upsertMetricsRows([row("r8")], {
      settings: settings(),
      db,
      onDecision: (d) => decisions.push(d),
    });
    const { rows } = await db.query("select * from retry_history");
    expect(JSON.stringify([results, decisions, rows])).not.toContain("CANARY");
  });

  it("refuses missing configuration naming the setting, sending nothing", async () => {
    const noKey = { ...settings(), SUPABASE_SERVICE_KEY: undefined };
    await expect(upsertMetricsRows([row("r9")], { settings: noKey, db })).rejects.toThrow(
      ServiceRefusedError,
    );
    await expect(upsertMetricsRows([row("r9")], { settings: noKey, db })).rejects.toThrow(
      /SUPABASE_SERVICE_KEY/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("refuses an invalid row naming it and its field, sending nothing", async () => {
    const bad = row("r10", { duration_sec: -1 });
    await expect(upsertMetricsRows([row("ok"), bad], { settings: settings(), db })).rejects.toThrow(
      new InputError("metrics row 2 (run_id r10): duration_sec: expected a number > 0"),
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe("upsertMetricsRows and the kill switch", () => {
  const paths = () => getEventPaths(settings(), root);
  const commander = { id: "c", email: "commander@x", role: "commander", via: "cli" } as const;

  it("sends nothing while the switch is engaged", async () => {
    await setKillSwitchState(db, commander, "engaged", "drill");
    await expect(upsertMetricsRows([row("k1")], { settings: settings(), db })).rejects.toThrow(
      KillSwitchEngagedError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("trips on the row whose answers end a 3 × 5xx streak, and refuses the rows left", async () => {
    server.faults.push(503, 503, 503, 503);
    const error = await upsertMetricsRows([row("k2"), row("k3")], {
      settings: settings(),
      db,
      tripOnStreak: { paths: paths() },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpsertHaltedError);
    expect((error as UpsertHaltedError).results).toEqual([
      {
        runId: "k2",
        outcome: "exhausted",
        responseCode: 503,
        attempts: 4,
        retryExhausted: true,
        tripped: true,
      },
    ]);
    expect((error as Error).message).toMatch(/1 of 2 metrics row\(s\) not upserted/);
    expect(posts().map((r) => (r.body as { run_id: string }).run_id)).toEqual(["k2", "k2", "k2", "k2"]);
    const status = await getKillSwitchStatus(db);
    expect(status).toMatchObject({ state: "engaged", changedBy: "system:auto-trip" });
    expect(status.reason).toMatch(/^automatic trip \(supabase_5xx_streak\)/);
  });

  it("does not trip when the row recovers after three 5xx, nor without tripOnStreak", async () => {
    server.faults.push(503, 503, 503, 201);
    const [recovered] = await upsertMetricsRows([row("k4")], {
      settings: settings(),
      db,
      tripOnStreak: { paths: paths() },
    });
    expect(recovered).toMatchObject({ outcome: "success", tripped: false });
    server.faults.push(503, 503, 503, 503);
    const [exhausted] = await upsertMetricsRows([row("k5")], { settings: settings(), db });
    expect(exhausted).toMatchObject({ outcome: "exhausted", tripped: false });
    expect((await getKillSwitchStatus(db)).state).toBe("armed");
  });

  it("cuts a retry wait short when the switch is engaged, and says the kill switch stopped it", async () => {
    server.faults.push(503, 201);
    const controller = new AbortController();
    const started = performance.now();
    const pending = upsertMetricsRows([row("k6"), row("k7")], {
      settings: settings({ RETRY_BACKOFF_SCALE: "1" }), // a real 5 s wait
      db,
      signal: controller.signal,
      onDecision: () => {
        void setKillSwitchState(db, commander, "engaged", "drill").then(() =>
          controller.abort(new Error("engaged")),
        );
      },
    });
    await expect(pending).rejects.toThrow(/Stopped: the kill switch is engaged.*2 of 2 metrics row/);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(posts()).toHaveLength(1);
  });
});
