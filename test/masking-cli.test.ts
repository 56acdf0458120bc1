import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openPostgres } from "../lib/db/postgres";
import { canaryNeedles, canaryNotes, canarySettings, findLeaks, TOKEN_SHAPES } from "./support/canaries";
import { startDbServer } from "./support/db-server";
import { startSlackReceiver, type SlackReceiver } from "./support/slack-receiver";

/**
 * Masking end to end through the real scripts (DESIGN §8): every secret setting holds a canary,
 * the summaries carry every canary in every encoding and every token shape, and nothing of them
 * appears in the scripts' stdout or stderr, in the Slack payloads the receiver recorded, in the
 * excerpt files, or in what the database recorded (audit log, retry history). DATABASE_URL is a
 * real connection string with a canary password to the embedded database's socket.
 */
const scripts = path.join(inject("cliRoot"), "scripts");
let root: string;
let receiver: SlackReceiver;
let server: { stop: () => Promise<void> };
let settings: Record<string, string>;
let needles: string[];
const outputs: { args: string; text: string }[] = [];
const eventDir = () => path.join(root, "docs/reports/ev");

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "masking-cli-"));
  server = await startDbServer(root);
  receiver = await startSlackReceiver({ path: "/services/T0CANARY/B0CANARY/canarySlackHook7Rw" });
  settings = canarySettings({ slackPort: receiver.port, dbSocketDir: path.join(root, ".data") });
  needles = canaryNeedles(settings);
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await server?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

/** Runs a script as a process; asynchronously, so the receiver in this process can answer it. */
async function sh(script: string, args: string[], extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: process.env.NODE_ENV,
    PATH: process.env.PATH ?? "",
    HOME: root,
    AUDITLOOP_ROOT: root,
    AUDIT_EVENT: "ev",
    GITHUB_ACTOR: "ci",
    RETRY_BACKOFF_SCALE: "0",
    // Loopback only, whatever a step decides to call.
    GITHUB_API_URL: "http://127.0.0.1:9",
    ...settings,
    ...extra,
  };
  const child = spawn("bash", [path.join(scripts, `phase4-${script}.sh`), ...args], { cwd: root, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  outputs.push({ args: `${script} ${args.join(" ")}`.slice(0, 80), text: `${stdout}\n${stderr}` });
  return { code, stdout, stderr };
}

const summaryArgs = (runId: string) => [
  "--run-id",
  runId,
  "--status",
  "failure",
  "--summary",
  canaryNotes(settings),
  "--retry-context",
  `retry_attempt=2 ${TOKEN_SHAPES.join(" ")}`,
];

describe("the secrets check and the Slack summary as processes, with a canary in every secret setting", () => {
  it("secrets-check names settings and present/missing only, and exits 78 naming a missing required one", async () => {
    const passed = await sh("secrets-check", []);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(/^setting=GITHUB_TOKEN requirement=recommended status=present /m);
    expect(passed.stdout).toMatch(/^setting=DATABASE_URL requirement=recommended status=present /m);
    expect(passed.stdout).toMatch(/^secrets_check=passed missing_required=none missing_recommended=\S+\n$/m);
    const json = await sh("secrets-check", ["--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, missing_required: [] });
    const failed = await sh("secrets-check", ["--require", "GITHUB_REPOSITORY,SLACK_WEBHOOK_URL"]);
    expect(failed.code).toBe(78);
    expect(failed.stderr).toBe(
      "error: secrets check failed: missing: GITHUB_REPOSITORY (required by --require)\n",
    );
    expect((await sh("secrets-check", ["--require", "NOT_A_SETTING"])).code).toBe(1);
  });

  it("slack-summary posts the masked summary once and writes the excerpt", async () => {
    const result = await sh("slack-summary", summaryArgs("19421003747"));
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe(
      "run_id=19421003747 slack=posted response_code=200 excerpt=docs/reports/ev/slack_excerpts/19421003747-summary.md\n",
    );
    expect(receiver.payloads).toHaveLength(1);
    expect(Object.keys(receiver.payloads[0] as object).sort()).toEqual([
      "retry_context",
      "status",
      "summary",
      "text",
      "timestamp_utc",
    ]);
    const excerpt = await fs.readFile(path.join(eventDir(), "slack_excerpts/19421003747-summary.md"), "utf8");
    expect(excerpt).toContain("- **summary**: leak test: ***");
  });

  it("slack-summary exits 78 on 403 and 404 after one POST each, 75 after four 503s, 0 after a reset", async () => {
    const posts = () => receiver.requests.length;
    let before = posts();
    receiver.script([403]);
    const refused = await sh("slack-summary", summaryArgs("2"));
    expect(refused.code).toBe(78);
    expect(refused.stderr).toMatch(/HTTP 403: suspect secrets; run scripts\/phase4-secrets-check\.sh/);
    expect(refused.stderr).not.toContain("invalid_token");
    expect(posts() - before).toBe(1);

    before = posts();
    receiver.script([{ status: 404, body: "no_service" }]);
    expect((await sh("slack-summary", summaryArgs("3"))).code).toBe(78);
    expect(posts() - before).toBe(1);

    before = posts();
    receiver.script([503, 503, 503, 503]);
    const exhausted = await sh("slack-summary", [...summaryArgs("4"), "--json"]);
    expect(exhausted.code).toBe(75);
    expect(JSON.parse(exhausted.stdout)).toMatchObject({ ok: false, exit_code: 75 });
    expect(posts() - before).toBe(4);

    before = posts();
    receiver.script(["reset", 200]);
    expect((await sh("slack-summary", summaryArgs("5"))).code).toBe(0);
    expect(posts() - before).toBe(2);
  });

  it("slack-summary refuses bad input with exit 1, echoing no value", async () => {
    expect(
      (await sh("slack-summary", ["--run-id", "../x", "--status", "alert", "--summary", "s"])).code,
    ).toBe(1);
    expect(
      (await sh("slack-summary", ["--run-id", "6", "--status", TOKEN_SHAPES[0], "--summary", "s"])).code,
    ).toBe(1);
    const badSetting = await sh("slack-summary", summaryArgs("7"), {
      SLACK_WEBHOOK_URL: `not a url ${TOKEN_SHAPES[1]}`,
    });
    expect(badSetting.code).toBe(1);
    expect(badSetting.stderr).toMatch(/SLACK_WEBHOOK_URL: expected/);
  });

  it("while the kill switch is engaged slack-summary exits 3, and the switch's own Slack status is masked", async () => {
    const before = receiver.payloads.length;
    expect((await sh("killswitch", ["engage", "--reason", "parity drift on run 19421003747"])).code).toBe(0);
    expect(receiver.payloads.slice(before)).toEqual([
      expect.objectContaining({
        status: "alert",
        summary: "kill switch engaged: parity drift on run 19421003747",
      }),
    ]);
    expect((await sh("slack-summary", summaryArgs("8"))).code).toBe(3);
  });

  it("no canary in any form and no token shape reached stdout, stderr, Slack, the excerpts or the database", async () => {
    // The needles do find what they look for: the summaries sent in carried all of them.
    expect(findLeaks(canaryNotes(settings), needles).length).toBeGreaterThan(30);
    expect(outputs.length).toBeGreaterThan(10);
    for (const { args, text } of outputs) expect(findLeaks(text, needles), args).toEqual([]);
    expect(receiver.payloads.length).toBeGreaterThan(5);
    expect(findLeaks(JSON.stringify(receiver.payloads), needles)).toEqual([]);
    expect(findLeaks(receiver.requests.map((r) => r.body).join("\n"), needles)).toEqual([]);
    const dir = path.join(eventDir(), "slack_excerpts");
    const names = (await fs.readdir(dir)).filter((n) => n.endsWith(".md"));
    expect(names.length).toBeGreaterThanOrEqual(6);
    for (const name of names)
      expect(findLeaks(await fs.readFile(path.join(dir, name), "utf8"), needles), name).toEqual([]);

    const db = await openPostgres(settings.DATABASE_URL ?? "");
    try {
      const { rows } = await db.query<{ text: string }>(
        "select coalesce(json_agg(a)::text, '') || coalesce((select json_agg(r)::text from retry_history r), '') as text from audit_log a",
      );
      const recorded = rows[0]?.text ?? "";
      expect(recorded).toContain("secrets.check");
      expect(recorded).toContain("post-summary");
      expect(findLeaks(recorded, needles)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
