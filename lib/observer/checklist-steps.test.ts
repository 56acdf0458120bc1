import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeRunRecord } from "../../test/support/run-record";
import { openTestDatabase } from "../../test/support/test-database";
import { verifyStep, type VerifyContext } from "../control/checklist-verify";
import "../control/checklist-verifiers";
import type { Database } from "../db";

let db: Database;
let dir: string;
let ctx: VerifyContext;

beforeAll(async () => {
  db = await openTestDatabase();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "observer-steps-"));
  ctx = {
    db,
    event: "ev",
    files: {
      runsSummary: path.join(dir, "RUNS_SUMMARY.json"),
      manifest: path.join(dir, "_manifest.json"),
      observerSummary: path.join(dir, "AUTO_OBSERVER_SUMMARY.md"),
      phase3Summary: path.join(dir, "PHASE3_AUDIT_SUMMARY.md"),
    },
  };
});
afterAll(async () => {
  await db.close();
  await fs.rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db.exec("delete from kpi_snapshots; delete from retry_history;");
  await fs.writeFile(ctx.files.runsSummary, JSON.stringify([makeRunRecord("1", { retries: 3 })]));
});

const attempt = (attempt: number, status: number | null, decision: string) =>
  db.query(
    `insert into retry_history (service, operation, run_id, attempt, status_code, decision)
     values ('supabase', 'upsert', '1', $1, $2, $3)`,
    [attempt, status, decision],
  );

describe("step 7: observer run over window_days", () => {
  it("is verified by the event's last KPI snapshot, and not by another event's", async () => {
    await db.query(
      `insert into kpi_snapshots (event, observer_run_id, as_of, window_days, kpis)
       values ('other', 'obs-x', '2025-11-15T00:00:00Z', 7, '{"total_runs": 1}')`,
    );
    expect(await verifyStep(7, ctx)).toEqual({
      status: "unverified",
      detail: "no observer run recorded for this event (scripts/phase4-observer-report.sh)",
    });
    await db.query(
      `insert into kpi_snapshots (event, observer_run_id, as_of, window_days, kpis)
       values ('ev', 'obs-1', '2025-11-15T00:00:00Z', 7, '{"total_runs": 200}')`,
    );
    expect(await verifyStep(7, ctx)).toMatchObject({
      status: "verified",
      evidence: "observer run obs-1 over 7 day(s) as of 2025-11-15T00:00:00Z (200 runs, KPI snapshot stored)",
    });
  });
});

describe("step 8: retries only on 5xx/429, none over the limit", () => {
  it("is not verified before any HTTP attempt is recorded", async () => {
    expect(await verifyStep(8, ctx)).toEqual({
      status: "unverified",
      detail: "no HTTP attempt recorded in retry_history yet",
    });
  });

  it("is verified by retries on 503, 429 and connection failures up to the third", async () => {
    await attempt(1, 503, "retry");
    await attempt(2, 429, "retry");
    await attempt(3, null, "retry");
    await attempt(4, 503, "give-up-exhausted");
    await attempt(1, 201, "success");
    expect(await verifyStep(8, ctx)).toMatchObject({
      status: "verified",
      evidence: expect.stringContaining("3 retr(ies) over 5 attempt(s)"),
    });
  });

  it("is not verified by a retry on a 4xx, a fourth retry, or a run with more than 3 retries", async () => {
    await attempt(1, 422, "retry");
    await attempt(4, 503, "retry");
    await fs.writeFile(ctx.files.runsSummary, JSON.stringify([makeRunRecord("9", { retries: 4 })]));
    expect(await verifyStep(8, ctx)).toEqual({
      status: "unverified",
      detail:
        "1 retry decision(s) on a status other than 5xx or 429; 1 retry decision(s) past retry 3; 1 run(s) in RUNS_SUMMARY.json with more than 3 retries (e.g. run_id 9)",
    });
  });
});
