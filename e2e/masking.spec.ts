import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { VIEWS } from "../components/shell/views";
import { settingsSchema } from "../lib/config/settings";
import {
  CANARY_SLACK_PATH,
  canaryNeedles,
  canaryNotes,
  leakForms,
  findLeaks,
} from "../test/support/canaries";
import { startSlackReceiver, type SlackReceiver } from "../test/support/slack-receiver";
import { E2E_ACCOUNTS, E2E_ROLES, ensureAccounts, signInThroughForm, type E2eRole } from "./support/accounts";
import { CANARY_ENV, CANARY_PORT, CANARY_SECRETS, CANARY_SLACK_PORT } from "./support/env";
import { saveScreenshot } from "./support/screens";

/**
 * Masking end to end (DESIGN §8) on the canary server: every secret setting holds a canary and a
 * run's notes carry every canary in every encoding and every token shape. Nothing of them may
 * appear in any page's HTML for any role, in what the CLI prints, in what reached Slack, in the
 * excerpts, or in the browser bundle the build wrote to .next/static.
 */
test.describe.configure({ mode: "serial" });

const BASE = `http://127.0.0.1:${CANARY_PORT}`;
const RUN_ID = "canary-run-1";
const needles = canaryNeedles(CANARY_SECRETS);
const execFileAsync = promisify(execFile);
let receiver: SlackReceiver;
const cliOutputs: { args: string; text: string }[] = [];

/** The bundled CLI against the canary server's data, asynchronously: the receiver answers in this process. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  const env = { ...process.env, ...CANARY_ENV, AUDITLOOP_ROOT: process.cwd() };
  const result = await execFileAsync(process.execPath, ["dist/cli/main.mjs", ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: typeof error.code === "number" ? error.code : 1,
      stdout: error.stdout ?? "",
      stderr: error.stderr ?? "",
    }),
  );
  cliOutputs.push({ args: args.join(" ").slice(0, 60), text: `${result.stdout}\n${result.stderr}` });
  return result;
}

async function signedIn(browser: Browser, role: E2eRole): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(`${BASE}/login`);
  await signInThroughForm(page, E2E_ACCOUNTS[role].email, E2E_ACCOUNTS[role].password);
  return page;
}

test.beforeAll(async () => {
  receiver = await startSlackReceiver({ port: CANARY_SLACK_PORT, path: CANARY_SLACK_PATH });
  ensureAccounts(CANARY_ENV);
  const record = {
    run_id: RUN_ID,
    trigger_mode: "manual_dispatch",
    status: "failure",
    sha_parity: false,
    retries: 1,
    retry_origin: null,
    run_started_at_utc: "2025-11-14T08:00:00Z",
    run_completed_at_utc: "2025-11-14T08:04:00Z",
    duration_sec: 240,
    prov_sha: "",
    computed_sha: "",
    observer_run_id: "obs-canary",
    observer_notes: canaryNotes(CANARY_SECRETS),
  };
  const file = path.resolve("test-results/e2e-canary-runs.json");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify([record]));
  expect((await runCli(["runs-import", file, "--source", "manual"])).code).toBe(0);
  expect((await runCli(["secrets-check"])).code).toBe(0);
  const summary = ["--run-id", RUN_ID, "--status", "failure", "--summary", record.observer_notes];
  expect((await runCli(["slack-summary", ...summary])).stdout).toMatch(/slack=posted response_code=200/);
});

test.afterAll(async () => {
  await receiver?.close();
});

test("the commander's engage posts a masked Slack status from the dashboard, then releases", async ({
  browser,
}) => {
  const page = await signedIn(browser, "commander");
  const posted = receiver.payloads.length;
  await page.goto(`${BASE}/kill-switch`);
  await page.getByLabel("Reason (required)").fill("canary journey: stop the loop");
  await page.getByRole("button", { name: "Engage the kill switch…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Engage now" }).click();
  const steps = page.getByRole("list", { name: "Engage steps" });
  await expect(steps.getByRole("listitem").filter({ hasText: "Post a masked Slack status" })).toContainText(
    /done.*posted to SLACK_WEBHOOK_URL \(HTTP 200\)/,
  );
  expect(receiver.payloads.slice(posted)).toEqual([
    expect.objectContaining({
      status: "alert",
      summary: "kill switch engaged: canary journey: stop the loop",
    }),
  ]);
  await page.getByRole("button", { name: "Run the restart checks and release" }).click();
  await expect(page.getByRole("status", { name: "Kill switch result" })).toContainText("Released");
  await page.context().close();
});

test("an operator runs the secrets check from the Secrets view, which shows names and presence only", async ({
  browser,
}) => {
  const page = await signedIn(browser, "operator");
  await page.goto(`${BASE}/secrets`);
  await expect(page.getByRole("heading", { level: 1, name: "Secrets" })).toBeVisible();
  const table = page.getByRole("table", { name: /Settings the loop needs/ });
  const row = (name: string) =>
    table.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
  await expect(row("GITHUB_TOKEN")).toContainText(/recommended.*present/);
  await expect(row("DATABASE_URL")).toContainText(/recommended.*present/);
  await expect(row("SUPABASE_URL")).toContainText(/recommended.*missing/);
  await page.getByRole("button", { name: "Run secrets check" }).click();
  await expect(page.getByRole("status", { name: "Secrets check result" })).toContainText("Recorded: passed");
  await expect(page.getByTestId("secrets-last-check")).toContainText("by operator@e2e.test");
  await saveScreenshot(page, "secrets", { fullPage: true });
  await page.goto(`${BASE}/checklist`);
  await expect(page.getByRole("row").filter({ hasText: "Secrets check passed" })).toContainText(
    "verified from secrets check",
  );
  await page.context().close();
});

test("no page's HTML holds a canary in any form or a token shape, for any role", async ({ browser }) => {
  test.setTimeout(300_000);
  const urls = ["/", ...VIEWS.map((v) => v.href), `/runs/${RUN_ID}`, "/api/health", "/api/kill-switch"];
  for (const role of E2E_ROLES) {
    const page = await signedIn(browser, role);
    for (const url of urls) {
      await test.step(`${role} ${url}`, async () => {
        const response = await page.request.get(`${BASE}${url}`);
        expect(response.status(), url).toBeLessThan(400);
        expect(findLeaks(await response.text(), needles), `${role} ${url} (server HTML)`).toEqual([]);
        if (url.startsWith("/api/")) return;
        await page.goto(`${BASE}${url}`);
        expect(findLeaks(await page.content(), needles), `${role} ${url} (rendered DOM)`).toEqual([]);
      });
    }
    // The notes were shown, masked: the check above looked at a page that had them.
    await page.goto(`${BASE}/runs/${RUN_ID}`);
    await expect(page.getByText(/leak test: \*\*\*/).first()).toBeVisible();
    await page.context().close();
  }
  const signedOut = await (
    await browser.newContext({ storageState: { cookies: [], origins: [] } })
  ).request.get(`${BASE}/login`);
  expect(findLeaks(await signedOut.text(), needles)).toEqual([]);
});

test("nothing of them reached the CLI's output, Slack or the excerpts", async () => {
  expect(cliOutputs.length).toBeGreaterThanOrEqual(3);
  for (const { args, text } of cliOutputs) expect(findLeaks(text, needles), args).toEqual([]);
  expect(receiver.payloads.length).toBeGreaterThanOrEqual(2);
  expect(findLeaks(receiver.requests.map((r) => r.body).join("\n"), needles)).toEqual([]);
  const dir = path.resolve(CANARY_ENV.AUDIT_REPORTS_ROOT, CANARY_ENV.AUDIT_EVENT, "slack_excerpts");
  const names = await readdir(dir);
  expect(names.filter((n) => n.endsWith("-summary.md")).length).toBeGreaterThanOrEqual(2);
  for (const name of names.filter((n) => n.endsWith(".md"))) {
    expect(findLeaks(await readFile(path.join(dir, name), "utf8"), needles), name).toEqual([]);
  }
});

/** Every file of the browser bundle, as text (binary files hold no secrets, but are searched too). */
async function bundleFiles(): Promise<{ file: string; text: string }[]> {
  const root = path.resolve(".next/static");
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const file = path.join(e.parentPath, e.name);
        return { file: path.relative(root, file), text: await readFile(file, "latin1") };
      }),
  );
}

test("the browser bundle holds no canary and no server setting's value from the build's environment", async () => {
  const files = await bundleFiles();
  // The scan reads the client code: a client component's own words are found.
  expect(files.some((f) => f.file.endsWith(".js") && f.text.includes("Run secrets check"))).toBe(true);
  // Server settings as the build saw them (the same environment ran the build and this spec);
  // defaults and short values are words the UI may print, not secrets.
  const defaults = new Set(Object.values(settingsSchema.parse({})).map(String));
  const serverValues = Object.keys(settingsSchema.shape)
    .filter((name) => !name.startsWith("NEXT_PUBLIC_"))
    .map((name) => process.env[name]?.trim() ?? "")
    .filter((value) => value.length >= 8 && !defaults.has(value));
  const all = [...needles, ...serverValues.flatMap(leakForms)];
  for (const { file, text } of files) expect(findLeaks(text, all), file).toEqual([]);
});
