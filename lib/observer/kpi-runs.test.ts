import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRunRecord } from "../../test/support/run-record";
import { insertRunRows } from "../../test/support/runs-table";
import { openTestDatabase } from "../../test/support/test-database";
import type { Database } from "../db";
import { runRecordSchema } from "../evidence/run-record";
import {
  loadEventRuns as loadVersioned,
  loadEventRunsById as loadVersionedById,
  loadRunVersions,
} from "./kpi-runs";

const loadEventRuns = async (...args: Parameters<typeof loadVersioned>) =>
  (await loadVersioned(...args)).map((v) => v.run);
const loadEventRunsById = async (...args: Parameters<typeof loadVersionedById>) =>
  (await loadVersionedById(...args)).map((v) => v.run);

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const full = makeRunRecord("full", {
  trigger_mode: "retry",
  status: "failure",
  sha_parity: false,
  retries: 3,
  retry_origin: "first",
  run_started_at_utc: "2025-11-14T09:00:00.250Z",
  run_completed_at_utc: "2025-11-14T09:04:00+00:00",
  duration_sec: 239.75,
  prov_sha: "a".repeat(64),
  computed_sha: "b".repeat(64),
  observer_notes: "digest differs from the provenance",
  window_days: 7,
  retry_exhausted: true,
  supabase_response_code: 503,
  head_sha: "c0ffee",
  workflow_name: "phase4-auto-audit",
  branch: "main",
  source: "auto",
});
const bare = makeRunRecord("bare");

describe("reading runs back from the runs table", () => {
  it("gives each row back as the run record it mirrors, every field in place", async () => {
    await insertRunRows(db, "map", [full, bare]);
    const runs = await loadEventRuns(db, "map");
    const byId = new Map(runs.map((r) => [r.run_id, r]));
    expect(byId.get("full")).toEqual({
      ...full,
      // The database keeps the instant: an offset comes back as Z, milliseconds stay.
      run_started_at_utc: "2025-11-14T09:00:00.250Z",
      run_completed_at_utc: "2025-11-14T09:04:00Z",
    });
    // Optional fields the row leaves null are absent, as in the file.
    expect(byId.get("bare")).toEqual(bare);
    expect(Object.keys(byId.get("bare") ?? {})).not.toContain("retry_exhausted");
    for (const run of runs) expect(runRecordSchema.safeParse(run).success, run.run_id).toBe(true);
  });

  it("reads only the event asked for", async () => {
    await insertRunRows(db, "one", [makeRunRecord("shared-id"), makeRunRecord("only-one")]);
    await insertRunRows(db, "two", [makeRunRecord("shared-id", { status: "cancelled" })]);
    expect((await loadEventRuns(db, "one")).map((r) => r.run_id).sort()).toEqual(["only-one", "shared-id"]);
    expect(await loadEventRuns(db, "two")).toMatchObject([{ run_id: "shared-id", status: "cancelled" }]);
    expect(await loadEventRuns(db, "none")).toEqual([]);
  });

  it("reads named runs of the event, leaving out the ones that do not exist", async () => {
    const runs = await loadEventRunsById(db, "one", ["shared-id", "gone", "it's quoted"]);
    expect(runs).toMatchObject([{ run_id: "shared-id", status: "success" }]);
    expect(await loadEventRunsById(db, "one", [])).toEqual([]);
  });

  it("gives each run a row version that changes when the row is written, and only then", async () => {
    await insertRunRows(db, "versions", [makeRunRecord("kept"), makeRunRecord("written")]);
    const before = await loadRunVersions(db, "versions");
    await db.query("update runs set retries = 1 where event = 'versions' and run_id = 'written'");
    const after = await loadRunVersions(db, "versions");
    expect(after.get("kept")).toBe(before.get("kept"));
    expect(after.get("written")).not.toBe(before.get("written"));
    const [row] = await loadVersionedById(db, "versions", ["written"]);
    expect(row?.version).toBe(after.get("written"));
  });
});
