import fc from "fast-check";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths } from "../config/paths";
import { parseSettings, SECRET_SETTINGS } from "../config/settings";
import type { Database } from "../db";
import { InputError } from "../errors";
import { runAction } from "./action";
import { appendAuditEntry } from "./audit-log";
import { getChecklist } from "./checklist";
import { setKillSwitchState } from "./kill-switch";
import { runRestartChecks } from "./restart-checks";
import type { Actor, Role } from "./roles";
import { CHECKED_SETTINGS, checkSecrets, parseRequiredNames } from "./secrets-check";
import { getLastSecretsCheck, secretsCheckAction } from "./secrets-check-actions";

const requirementOf = (result: ReturnType<typeof checkSecrets>, name: string) =>
  result.items.find((i) => i.name === name);

describe("checkSecrets: one definition of required and recommended", () => {
  it("requires nothing in the embedded demo mode and notes every setting as recommended", () => {
    const result = checkSecrets(parseSettings({}));
    expect(result.ok).toBe(true);
    expect(result.items.map((i) => i.name)).toEqual([...CHECKED_SETTINGS]);
    expect(result.items.every((i) => i.requirement === "recommended" && i.status === "missing")).toBe(true);
    expect(result.missingRecommended).toContain("SLACK_WEBHOOK_URL");
  });

  it("requires GITHUB_TOKEN once GITHUB_REPOSITORY is set (as in GitHub Actions)", () => {
    const result = checkSecrets(parseSettings({ GITHUB_REPOSITORY: "acme/app" }));
    expect(result.ok).toBe(false);
    expect(result.missingRequired).toEqual(["GITHUB_TOKEN"]);
    expect(requirementOf(result, "GITHUB_TOKEN")).toMatchObject({
      requirement: "required",
      status: "missing",
      why: "needed by GITHUB_REPOSITORY",
    });
    expect(requirementOf(result, "GITHUB_REPOSITORY")).toMatchObject({
      requirement: "required",
      status: "present",
    });
  });

  it("requires each mode's secret: SUPABASE_SERVICE_KEY for SUPABASE_URL, the anon key for Supabase Auth", () => {
    const result = checkSecrets(
      parseSettings({
        SUPABASE_URL: "https://x.supabase.test",
        NEXT_PUBLIC_SUPABASE_URL: "https://x.supabase.test",
      }),
    );
    expect(result.missingRequired).toEqual(["SUPABASE_SERVICE_KEY", "NEXT_PUBLIC_SUPABASE_ANON_KEY"]);
  });

  it("keeps SLACK_WEBHOOK_URL and DATABASE_URL recommended, present or not, unless --require names them", () => {
    const set = checkSecrets(parseSettings({ SLACK_WEBHOOK_URL: "https://hooks.slack.test/services/T/B/x" }));
    expect(requirementOf(set, "SLACK_WEBHOOK_URL")).toMatchObject({
      requirement: "recommended",
      status: "present",
    });
    const forced = checkSecrets(parseSettings({}), ["SLACK_WEBHOOK_URL", "DATABASE_URL"]);
    expect(forced.ok).toBe(false);
    expect(forced.missingRequired).toEqual(["DATABASE_URL", "SLACK_WEBHOOK_URL"]);
  });

  it("depends only on which settings are present: never on a value, a length or a prefix (property)", () => {
    // Values are marked so "not contained" means something; the equality is the real proof.
    const value = fc.string({ maxLength: 60 }).map((v) => `canary~${v}`);
    fc.assert(
      fc.property(
        fc.array(value, { minLength: SECRET_SETTINGS.length, maxLength: SECRET_SETTINGS.length }),
        (values) => {
          const env = Object.fromEntries(
            SECRET_SETTINGS.filter((n) => n !== "DATABASE_URL" && n !== "SLACK_WEBHOOK_URL").map((n, i) => [
              n,
              values[i] ?? "x",
            ]),
          );
          const result = checkSecrets(parseSettings({ ...env, GITHUB_REPOSITORY: "acme/app" }));
          const placeholders = Object.fromEntries(Object.keys(env).map((n) => [n, "same"]));
          expect(result).toEqual(
            checkSecrets(parseSettings({ ...placeholders, GITHUB_REPOSITORY: "acme/app" })),
          );
          const text = JSON.stringify(result);
          for (const v of Object.values(env)) expect(text).not.toContain(v.trim());
          expect(text).not.toContain("canary~");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("parses --require, refusing unknown names and an empty list", () => {
    expect(parseRequiredNames("GITHUB_TOKEN, SLACK_WEBHOOK_URL,GITHUB_TOKEN")).toEqual([
      "GITHUB_TOKEN",
      "SLACK_WEBHOOK_URL",
    ]);
    expect(() => parseRequiredNames("GITHUB_TOKEN,NOPE")).toThrow(/--require: expected .*unknown: "NOPE"/);
    expect(() => parseRequiredNames(" , ")).toThrow(InputError);
  });

  it("is the restart checks' definition too", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "secrets-restart-"));
    try {
      const settings = parseSettings({ GITHUB_REPOSITORY: "acme/app" });
      const [secrets] = await runRestartChecks(settings, getEventPaths(settings, root));
      expect(secrets).toMatchObject({
        id: "secrets",
        status: "fail",
        detail: "missing: GITHUB_TOKEN (needed by GITHUB_REPOSITORY)",
      });
      const [passing] = await runRestartChecks(parseSettings({}), getEventPaths(settings, root));
      expect(passing).toMatchObject({
        status: "pass",
        detail: expect.stringMatching(/^every required setting is present \(8 recommended missing/),
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("the recorded secrets check and checklist step 1", () => {
  let db: Database;
  let root: string;
  const as = (role: Role | "service"): Actor => ({
    id: role,
    email: `${role}@example.test`,
    role,
    via: "web",
  });
  const files = () => getEventPaths({ AUDIT_EVENT: "ev", AUDIT_REPORTS_ROOT: "docs/reports" }, root);
  const step1 = async () => (await getChecklist(db, "ev", files())).steps.find((s) => s.step === 1);
  const check = (env: Record<string, string>, role: Role | "service" = "operator", input: unknown = {}) =>
    runAction(secretsCheckAction(parseSettings(env)), { actor: as(role), db, input });

  beforeEach(async () => {
    db = await openTestDatabase();
    root = await mkdtemp(path.join(os.tmpdir(), "secrets-check-"));
  });
  afterEach(async () => {
    await db.close();
    await rm(root, { recursive: true, force: true });
  });

  it("lets every role run it and records names with present/missing in the audit log, never a value", async () => {
    for (const role of ["observer", "operator", "reviewer", "commander"] as const) await check({}, role);
    await check({ GITHUB_REPOSITORY: "acme/app", GITHUB_TOKEN: "canary-token-5150" }, "service", {
      require: ["SLACK_WEBHOOK_URL"],
    });
    const { rows } = await db.query<{ detail: unknown; actor: string }>(
      "select detail, actor from audit_log where action = 'secrets.check' order by id",
    );
    expect(rows).toHaveLength(5);
    expect(JSON.stringify(rows)).not.toContain("canary-token-5150");
    expect(await getLastSecretsCheck(db)).toMatchObject({
      actor: "service@example.test",
      ok: false,
      items: expect.arrayContaining([
        { name: "GITHUB_TOKEN", requirement: "required", status: "present" },
        { name: "SLACK_WEBHOOK_URL", requirement: "required", status: "missing" },
      ]),
    });
  });

  it("takes the newest check as the last one, past id 9 too (ids compare as numbers, not text)", async () => {
    for (let i = 0; i < 8; i++) await appendAuditEntry(db, { actor: "x", role: "operator", action: "other" });
    await check({}, "observer");
    await check({}, "commander");
    expect(await getLastSecretsCheck(db)).toMatchObject({ id: 10, actor: "commander@example.test" });
  });

  it("runs while the kill switch is engaged, and refuses a caller without a role or an unknown --require", async () => {
    await setKillSwitchState(db, as("commander"), "engaged", "403 from Slack");
    await expect(check({})).resolves.toMatchObject({ ok: true });
    await expect(
      runAction(secretsCheckAction(parseSettings({})), { actor: null, db, input: {} }),
    ).rejects.toThrow(/Sign in/);
    await expect(check({}, "operator", { require: ["NOPE"] })).rejects.toThrow(InputError);
  });

  it("step 1 is unverified with no check, unverified after a failing one, verified after a passing one", async () => {
    expect(await step1()).toMatchObject({
      checked: false,
      verification: { status: "unverified", detail: expect.stringMatching(/no secrets check recorded/) },
    });
    await check({ SUPABASE_URL: "https://x.supabase.test" });
    expect((await step1())?.verification).toMatchObject({
      status: "unverified",
      detail: expect.stringMatching(/found required settings missing: SUPABASE_SERVICE_KEY$/),
    });
    await check({ SUPABASE_URL: "https://x.supabase.test", SUPABASE_SERVICE_KEY: "k3y-k3y-k3y" }, "reviewer");
    const step = await step1();
    expect(step).toMatchObject({ checked: true, source: "auto", by: "system" });
    expect(step?.verification).toMatchObject({
      status: "verified",
      evidence: expect.stringMatching(
        /^secrets check #\d+ by reviewer@example\.test: 2 required present; recommended missing \(noted\): GITHUB_REPOSITORY/,
      ),
    });
  });
});
