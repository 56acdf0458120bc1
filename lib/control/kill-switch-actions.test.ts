import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths } from "../config/paths";
import { parseSettings, type Settings } from "../config/settings";
import type { Database } from "../db";
import { updateManifestEntry } from "../evidence/manifest";
import { AuthenticationError, ForbiddenError, InputError, KillSwitchEngagedError } from "../errors";
import { runAction } from "./action";
import { trackInFlight } from "./in-flight";
import { getKillSwitchStatus } from "./kill-switch";
import { engageKillSwitchAction, releaseKillSwitchAction, type KillSwitchEnv } from "./kill-switch-actions";
import { getLastEngagement, getLastRestartChecks, listKillSwitchEvents } from "./kill-switch-history";
import type { Actor, Role } from "./roles";

const as = (role: Role | "service"): Actor => ({ id: role, email: `${role}@example.test`, role, via: "web" });
let db: Database;
let root: string;
let env: KillSwitchEnv;

const withSettings = (settings: Settings): KillSwitchEnv => ({
  settings,
  paths: getEventPaths(settings, root),
});

beforeEach(async () => {
  db = await openTestDatabase();
  root = await mkdtemp(path.join(os.tmpdir(), "ks-actions-"));
  env = withSettings(parseSettings({ AUDIT_EVENT: "ev" }));
  await updateManifestEntry(env.paths.manifest, {
    run_id: "1",
    artifact_path: "docs/reports/ev/artifacts/1/raw/a.zip",
    evidence_type: "artifact",
    recorded_at_utc: "2025-11-14T10:00:00Z",
    sha_parity: true,
    notes: "",
  });
});

afterEach(async () => {
  await db.close();
  await rm(root, { recursive: true, force: true });
});

const engage = (actor: Actor | null, input: unknown = { reason: "parity drift on run 7" }) =>
  runAction(engageKillSwitchAction(env), { actor, db, input });
const release = (actor: Actor | null, e = env) =>
  runAction(releaseKillSwitchAction(e), { actor, db, input: {} });

async function auditActions(): Promise<string[]> {
  const { rows } = await db.query<{ action: string }>("select action from audit_log order by id");
  return rows.map((r) => r.action);
}

describe("kill switch actions", () => {
  it("let the commander and the CLI's service actor engage", async () => {
    const steps = await engage(as("commander"));
    expect(steps.map((s) => [s.id, s.status])).toEqual([
      ["persist", "done"],
      ["github-workflow", "skipped"],
      ["observer-summary", "done"],
      ["manifest-rollback", "skipped"],
      ["slack", "skipped"],
    ]);
    expect(await getKillSwitchStatus(db)).toMatchObject({
      state: "engaged",
      changedBy: "commander@example.test",
      reason: "parity drift on run 7",
    });
    expect(await auditActions()).toEqual(["killswitch.engaged", "killswitch.engage"]);
    await release(as("service"));
    await expect(engage(as("service"))).resolves.toHaveLength(5);
  });

  it("refuse the observer, operator and reviewer roles and a caller not signed in, changing nothing", async () => {
    for (const role of ["observer", "operator", "reviewer"] as const)
      await expect(engage(as(role)), role).rejects.toThrow(ForbiddenError);
    await expect(engage(null)).rejects.toThrow(AuthenticationError);
    expect(await listKillSwitchEvents(db)).toEqual([]);
    await engage(as("commander"));
    const before = await listKillSwitchEvents(db);
    for (const role of ["observer", "operator", "reviewer"] as const)
      await expect(release(as(role)), role).rejects.toThrow(ForbiddenError);
    await expect(release(null)).rejects.toThrow(AuthenticationError);
    expect(await listKillSwitchEvents(db)).toEqual(before);
    expect((await getKillSwitchStatus(db)).state).toBe("engaged");
    expect(await auditActions()).toEqual(["killswitch.engaged", "killswitch.engage"]);
  });

  it("refuse to engage twice, naming the engagement", async () => {
    await engage(as("commander"));
    await expect(engage(as("commander"), { reason: "again" })).rejects.toThrow(KillSwitchEngagedError);
    await expect(engage(as("commander"), { reason: "again" })).rejects.toThrow(
      /commander@example\.test.*parity drift on run 7/,
    );
    expect((await getLastEngagement(db))?.engage.reason).toBe("parity drift on run 7");
  });

  it("refuse a reason that is too short or carries a token, naming the field", async () => {
    await expect(engage(as("commander"), { reason: " x " })).rejects.toThrow(
      /reason: expected a reason of at least 3/,
    );
    await expect(engage(as("commander"), { reason: `leaked ghp_${"a".repeat(36)}` })).rejects.toThrow(
      InputError,
    );
    expect((await getKillSwitchStatus(db)).state).toBe("armed");
  });

  it("count the work they abort in flight, not themselves", async () => {
    const task = trackInFlight();
    const steps = await engage(as("commander"));
    expect(steps[0]?.detail).toBe("1 in-flight task(s) aborted");
    expect(task.signal.aborted).toBe(true);
    task.done();
  });

  it("release only when the restart checks pass, recording each refusal", async () => {
    await engage(as("commander"));
    const broken = withSettings(parseSettings({ AUDIT_EVENT: "ev", GITHUB_REPOSITORY: "o/r" }));
    const refused = await release(as("commander"), broken);
    expect(refused.released).toBe(false);
    expect(refused.checks.find((c) => c.status === "fail")).toMatchObject({
      id: "secrets",
      detail: expect.stringMatching(/GITHUB_TOKEN/),
    });
    expect((await getKillSwitchStatus(db)).state).toBe("engaged");
    expect(await getLastRestartChecks(db)).toMatchObject({ released: false });

    const released = await release(as("commander"));
    expect(released).toMatchObject({ released: true });
    expect(released.checks.map((c) => [c.id, c.status])).toEqual([
      ["secrets", "pass"],
      ["manifest", "pass"],
      ["supabase", "skipped"],
    ]);
    expect((await getKillSwitchStatus(db)).state).toBe("released");
    expect(await getLastRestartChecks(db)).toMatchObject({ released: true, actor: "commander@example.test" });
    expect(await auditActions()).toEqual([
      "killswitch.engaged",
      "killswitch.engage",
      "killswitch.release",
      "killswitch.released",
      "killswitch.release",
    ]);
  });

  it("refuse a release when nothing is engaged", async () => {
    await expect(release(as("commander"))).rejects.toThrow(/not engaged \(state: armed\)/);
  });
});
