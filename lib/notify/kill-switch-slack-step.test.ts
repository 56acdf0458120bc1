import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSlackReceiver, type SlackReceiver } from "../../test/support/slack-receiver";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import { engageKillSwitch, type EngageContext } from "../control/kill-switch-engage";
import "../control/kill-switch-steps";
import { getKillSwitchStatus } from "../control/kill-switch";
import type { Actor } from "../control/roles";
import type { Database } from "../db";
import { killSwitchExcerptId } from "./kill-switch-slack-step";

const commander: Actor = { id: "c1", email: "ic@example.test", role: "commander", via: "web" };
const CANARY = "canary-service-key-7Hq2";
let receiver: SlackReceiver;
let db: Database;
let root: string;

beforeAll(async () => {
  receiver = await startSlackReceiver();
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(async () => {
  db = await openTestDatabase();
  root = await fs.mkdtemp(path.join(os.tmpdir(), "ks-slack-"));
  receiver.requests.length = 0;
  receiver.payloads.length = 0;
  receiver.script([]);
});
afterEach(async () => {
  await db.close();
  await fs.rm(root, { recursive: true, force: true });
});

function engage(reason: string, env: Record<string, string> = {}, extra: Partial<EngageContext> = {}) {
  const settings = parseSettings({
    AUDIT_EVENT: "ev",
    SLACK_WEBHOOK_URL: receiver.webhookUrl,
    SUPABASE_SERVICE_KEY: CANARY,
    RETRY_BACKOFF_SCALE: "0",
    ...env,
  });
  return engageKillSwitch({
    actor: commander,
    reason,
    rollbackManifest: false,
    paths: getEventPaths(settings, root),
    settings,
    db,
    ...extra,
  });
}

const slackStep = (steps: Awaited<ReturnType<typeof engage>>) => steps.find((s) => s.id === "slack");

describe("the kill switch's Slack step (DESIGN §7 step 5)", () => {
  it("posts an alert with only status, timestamp and the masked reason, last in the sequence", async () => {
    const steps = await engage(`parity drift; key ${CANARY} seen at https://internal.test/x`);
    expect(steps.at(-1)?.id).toBe("slack");
    expect(slackStep(steps)).toMatchObject({ status: "done", title: "Post a masked Slack status" });
    expect(slackStep(steps)?.detail).toMatch(
      /^posted to SLACK_WEBHOOK_URL \(HTTP 200\); excerpt docs\/reports\/ev\/slack_excerpts\/killswitch-\d{8}T\d{6}Z-summary\.md$/,
    );
    expect(receiver.payloads).toHaveLength(1);
    const payload = receiver.payloads[0] as Record<string, string>;
    expect(Object.keys(payload).sort()).toEqual(["status", "summary", "text", "timestamp_utc"]);
    expect(payload.status).toBe("alert");
    expect(payload.timestamp_utc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(payload.summary).toBe("kill switch engaged: parity drift; key *** seen at [url]");
    const excerpts = await fs.readdir(path.join(root, "docs/reports/ev/slack_excerpts"));
    expect(excerpts).toHaveLength(1);
    const excerpt = await fs.readFile(
      path.join(root, "docs/reports/ev/slack_excerpts", excerpts[0] ?? ""),
      "utf8",
    );
    expect(excerpt).toContain("kill switch engaged: parity drift");
    expect(excerpt).not.toContain(CANARY);
  });

  it("cuts the summary to 200 characters", async () => {
    await engage(`long ${"x".repeat(480)}`);
    const payload = receiver.payloads[0] as { summary: string };
    expect(payload.summary).toHaveLength(200);
    expect(payload.summary.startsWith("kill switch engaged: long x")).toBe(true);
  });

  it("is skipped when SLACK_WEBHOOK_URL is not set", async () => {
    const steps = await engage("parity drift", { SLACK_WEBHOOK_URL: "" });
    expect(slackStep(steps)).toMatchObject({ status: "skipped" });
    expect(receiver.requests).toHaveLength(0);
  });

  it("reports a refusal as its own failure while the other steps run and the switch stays engaged", async () => {
    receiver.script([403]);
    const steps = await engage("parity drift");
    expect(slackStep(steps)).toMatchObject({ status: "failed" });
    expect(slackStep(steps)?.detail).toMatch(/HTTP 403.*phase4-secrets-check\.sh/);
    expect(slackStep(steps)?.detail).not.toContain("invalid_token");
    expect(steps.find((s) => s.id === "observer-summary")?.status).toBe("done");
    expect((await getKillSwitchStatus(db)).state).toBe("engaged");
    const { rows } = await db.query<{ detail: { id: string; status: string } }>(
      "select detail from kill_switch_events where action = 'step' order by id",
    );
    expect(rows.map((r) => [r.detail.id, r.detail.status])).toContainEqual(["slack", "failed"]);
  });

  it("goes through the context's fetch when one is given", async () => {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = (url, init) => {
      seen.push(new URL(String(url)).pathname);
      return fetch(url, init);
    };
    await engage("parity drift", {}, { fetchImpl });
    expect(seen).toEqual([new URL(receiver.webhookUrl).pathname]);
  });

  it("names its excerpt by the moment of engagement, as a plain file name", () => {
    expect(killSwitchExcerptId(new Date("2025-11-14T09:05:07.123Z"))).toBe("killswitch-20251114T090507Z");
  });
});
