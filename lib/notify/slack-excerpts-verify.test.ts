import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import { getChecklist } from "../control/checklist";
import type { Database } from "../db";
import { postSlackSummary } from "./slack";

let db: Database;
let root: string;
const paths = () => getEventPaths({ AUDIT_EVENT: "ev", AUDIT_REPORTS_ROOT: "docs/reports" }, root);
const step9 = async () => (await getChecklist(db, "ev", paths())).steps.find((s) => s.step === 9);

beforeEach(async () => {
  db = await openTestDatabase();
  root = await mkdtemp(path.join(os.tmpdir(), "step9-"));
});
afterEach(async () => {
  await db.close();
  await rm(root, { recursive: true, force: true });
});

const landUpsert = (decision: string, status: number) =>
  db.query(
    "insert into retry_history (service, operation, run_id, attempt, status_code, decision) values ('supabase', 'upsert', '7', 1, $1, $2)",
    [status, decision],
  );

describe("checklist step 9: metrics upserted and a masked Slack summary stored", () => {
  it("names both halves while neither is there", async () => {
    expect((await step9())?.verification).toEqual({
      status: "unverified",
      detail:
        "no metrics upsert to Supabase recorded (retry_history, service supabase); slack_excerpts/ holds no summary",
    });
  });

  it("stays unverified with an excerpt but only failed upserts", async () => {
    await postSlackSummary({
      settings: parseSettings({}),
      paths: paths(),
      runId: "7",
      status: "success",
      summary: "ok",
    });
    await landUpsert("refuse-secrets", 403);
    expect((await step9())?.verification).toMatchObject({
      status: "unverified",
      detail: "no metrics upsert to Supabase recorded (retry_history, service supabase)",
    });
  });

  it("ticks itself once an upsert landed (2xx or 409) and an excerpt is stored", async () => {
    await landUpsert("duplicate-success", 409);
    expect((await step9())?.verification).toMatchObject({ detail: "slack_excerpts/ holds no summary" });
    await postSlackSummary({
      settings: parseSettings({}),
      paths: paths(),
      runId: "7",
      status: "success",
      summary: "ok",
    });
    const step = await step9();
    expect(step).toMatchObject({ checked: true, source: "auto" });
    expect(step?.verification).toMatchObject({
      status: "verified",
      evidence: "1 metrics upsert(s) landed; 1 Slack summary excerpt(s), newest slack_excerpts/7-summary.md",
    });
  });
});
