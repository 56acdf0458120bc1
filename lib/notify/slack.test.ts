import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSlackReceiver, type SlackReceiver } from "../../test/support/slack-receiver";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths, type EventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import type { Database } from "../db";
import { exitCodeOf } from "../errors";
import {
  postSlackSummary,
  SlackRefusedError,
  SlackRetryExhaustedError,
  type PostSlackSummaryInput,
} from "./slack";

let receiver: SlackReceiver;
let db: Database;
let root: string;
let paths: EventPaths;

beforeAll(async () => {
  receiver = await startSlackReceiver();
  db = await openTestDatabase();
});
afterAll(async () => {
  await receiver.close();
  await db.close();
});
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "slack-"));
  paths = getEventPaths({ AUDIT_EVENT: "ev", AUDIT_REPORTS_ROOT: "docs/reports" }, root);
  receiver.requests.length = 0;
  receiver.payloads.length = 0;
  receiver.script([]);
  await db.query("delete from retry_history");
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const at = new Date("2025-11-14T09:05:07.123Z");

function post(overrides: Partial<PostSlackSummaryInput> = {}, env: Record<string, string> = {}) {
  const settings = parseSettings({
    SLACK_WEBHOOK_URL: receiver.webhookUrl,
    RETRY_BACKOFF_SCALE: "0",
    ...env,
  });
  return postSlackSummary({
    settings,
    paths,
    runId: "19421003747",
    status: "failure",
    summary: "run 19421003747 failed",
    at,
    db,
    ...overrides,
  });
}

async function history() {
  const { rows } = await db.query<{
    attempt: number;
    status_code: number | null;
    decision: string;
    wait_ms: number;
  }>("select attempt, status_code, decision, wait_ms from retry_history where service = 'slack' order by id");
  return rows;
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error("expected the post to fail");
  return error;
}

describe("postSlackSummary through @slack/webhook against a local receiver", () => {
  it("posts exactly the DESIGN §8 fields as JSON and writes the excerpt", async () => {
    const result = await post({ status: "retry", retryContext: "retry_attempt=2 (5xx detected)" });
    expect(result).toMatchObject({ posted: true, responseCode: 200, retryExhausted: false });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.contentType).toMatch(/^application\/json/);
    expect(receiver.payloads[0]).toEqual({
      text:
        "status: retry\ntimestamp_utc: 2025-11-14T09:05:07Z\nsummary: run 19421003747 failed\n" +
        "retry_context: retry_attempt=2 (5xx detected)",
      status: "retry",
      timestamp_utc: "2025-11-14T09:05:07Z",
      summary: "run 19421003747 failed",
      retry_context: "retry_attempt=2 (5xx detected)",
    });
    expect(result.excerptPath).toBe(path.join(paths.slackExcerpts, "19421003747-summary.md"));
    expect(await fs.readFile(result.excerptPath, "utf8")).toContain("- **summary**: run 19421003747 failed");
  });

  it("sends no retry_context key when there is none", async () => {
    await post();
    expect(Object.keys(receiver.payloads[0] as object).sort()).toEqual([
      "status",
      "summary",
      "text",
      "timestamp_utc",
    ]);
  });

  it("retries a 500 once and succeeds on [500, 200]: 2 POSTs, both attempts in retry_history", async () => {
    receiver.script([500, 200]);
    const result = await post();
    expect(result).toMatchObject({ posted: true, responseCode: 200 });
    expect(receiver.requests).toHaveLength(2);
    expect(await history()).toEqual([
      { attempt: 1, status_code: 500, decision: "retry", wait_ms: 0 },
      { attempt: 2, status_code: 200, decision: "success", wait_ms: 0 },
    ]);
  });

  it("refuses a 403 after 1 POST with exit code 78, pointing to the secrets check, never Slack's body", async () => {
    receiver.script([403, 200]);
    const error = await failureOf(post());
    expect(error).toBeInstanceOf(SlackRefusedError);
    expect(exitCodeOf(error)).toBe(78);
    expect(error.message).toMatch(/403.*phase4-secrets-check\.sh/);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain("invalid_token");
    expect(error.cause).toBeUndefined();
    expect((error as SlackRefusedError).result).toMatchObject({ posted: false, responseCode: 403 });
    expect(receiver.requests).toHaveLength(1);
    expect(await history()).toEqual([
      { attempt: 1, status_code: 403, decision: "refuse-secrets", wait_ms: 0 },
    ]);
  });

  it("refuses a 404 no_service after 1 POST with exit code 78", async () => {
    receiver.script([{ status: 404, body: "no_service" }]);
    const error = await failureOf(post());
    expect(exitCodeOf(error)).toBe(78);
    expect(error.message).not.toContain("no_service");
    expect(receiver.requests).toHaveLength(1);
  });

  it("honours a 429's Retry-After, scaled by RETRY_BACKOFF_SCALE", async () => {
    receiver.script([{ status: 429, retryAfter: "4" }, 200]);
    const result = await post({}, { RETRY_BACKOFF_SCALE: "0.01" });
    expect(result.posted).toBe(true);
    expect(receiver.requests).toHaveLength(2);
    const [first, second] = receiver.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(35);
    // 4 s from the header, not the policy's 1 s for a first 429.
    expect((await history())[0]).toMatchObject({ status_code: 429, decision: "retry", wait_ms: 40 });
  });

  it("gives up after 4 POSTs on persistent 503 with exit code 75 and retryExhausted", async () => {
    receiver.script([503, 503, 503, 503, 200]);
    const error = await failureOf(post());
    expect(error).toBeInstanceOf(SlackRetryExhaustedError);
    expect(exitCodeOf(error)).toBe(75);
    expect((error as SlackRetryExhaustedError).result).toMatchObject({
      retryExhausted: true,
      responseCode: 503,
    });
    expect(receiver.requests).toHaveLength(4);
    expect((await history()).map((r) => r.decision)).toEqual([
      "retry",
      "retry",
      "retry",
      "give-up-exhausted",
    ]);
  });

  it("retries a reset connection as a 5xx", async () => {
    receiver.script(["reset", 200]);
    const result = await post();
    expect(result.posted).toBe(true);
    expect(receiver.requests).toHaveLength(2);
    const rows = await history();
    expect(rows[0]).toMatchObject({ attempt: 1, status_code: null, decision: "retry" });
  });

  it("writes the excerpt and posts nothing when SLACK_WEBHOOK_URL is not set", async () => {
    const result = await postSlackSummary({
      settings: parseSettings({}),
      paths,
      runId: "42",
      status: "success",
      summary: "all green",
      at,
    });
    expect(result).toEqual({ posted: false, excerptPath: path.join(paths.slackExcerpts, "42-summary.md") });
    expect(await fs.readFile(result.excerptPath, "utf8")).toContain("- **status**: success");
    expect(receiver.requests).toHaveLength(0);
  });

  it("refuses a run id that is not a plain file name before writing or posting", async () => {
    for (const runId of ["../escape", "a/b", "", ".hidden"]) {
      expect(exitCodeOf(await failureOf(post({ runId })))).toBe(1);
    }
    expect(receiver.requests).toHaveLength(0);
    await expect(fs.readdir(paths.dir)).rejects.toThrow(/ENOENT/);
  });

  it("masks secrets and the webhook itself in the payload and the excerpt", async () => {
    const summary = `token ghp_abcdefghijklmnopqrstuvwxyz0123456789 hook ${receiver.webhookUrl} key canary-key-9x8y`;
    const result = await post({ summary }, { SUPABASE_SERVICE_KEY: "canary-key-9x8y" });
    const sent = JSON.stringify(receiver.payloads[0]);
    const excerpt = await fs.readFile(result.excerptPath, "utf8");
    for (const text of [sent, excerpt]) {
      expect(text).not.toContain("ghp_");
      expect(text).not.toContain("canary-key-9x8y");
      expect(text).not.toContain("receiverSecretPath0001");
    }
  });

  it("uses the fetch it is given", async () => {
    const seen: string[] = [];
    const fetchImpl: typeof fetch = (url, init) => {
      seen.push(String(url));
      return fetch(url, init);
    };
    await post({ fetchImpl });
    expect(seen).toEqual([receiver.webhookUrl]);
  });

  it("stops a retry wait at once when the signal aborts (the kill switch)", async () => {
    receiver.script([503, 200]);
    const controller = new AbortController();
    const reason = new Error("kill switch engaged");
    setTimeout(() => controller.abort(reason), 50);
    const started = performance.now();
    await expect(post({ signal: controller.signal }, { RETRY_BACKOFF_SCALE: "1" })).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(receiver.requests).toHaveLength(1);
    expect(await history()).toEqual([{ attempt: 1, status_code: 503, decision: "retry", wait_ms: 5_000 }]);
  });
});
