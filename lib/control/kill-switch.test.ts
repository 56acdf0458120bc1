import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getEventPaths, type EventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import { openDatabase, type Database } from "../db";
import { updateManifestEntry } from "../evidence/manifest";
import { KillSwitchEngagedError } from "../errors";
import { verifyAuditChain } from "./audit-log";
import { trackInFlight } from "./in-flight";
import { getKillSwitchStatus, throwIfKillSwitchEngaged, watchKillSwitch } from "./kill-switch";
import {
  engageKillSwitch,
  registerEngageStep,
  registerReleaseStep,
  releaseKillSwitch,
} from "./kill-switch-engage";
import type { Actor } from "./roles";

const commander: Actor = { id: "c1", email: "ic@example.test", role: "commander", via: "web" };
let db: Database;
let root: string;
let paths: EventPaths;

beforeEach(async () => {
  db = await openDatabase({ DATABASE_URL: undefined, AUDIT_DATA_DIR: "memory://" });
  root = await mkdtemp(path.join(os.tmpdir(), "auditloop-ks-"));
  paths = getEventPaths(parseSettings({ AUDIT_EVENT: "ev" }), root);
});

afterEach(async () => {
  await db.close();
  await rm(root, { recursive: true, force: true });
});

const entry = (runId: string) => ({
  run_id: runId,
  artifact_path: `docs/reports/ev/artifacts/${runId}/raw/a.bin`,
  evidence_type: "artifact" as const,
  recorded_at_utc: "2025-11-14T10:00:00Z",
  sha_parity: true,
  notes: "",
});

describe("kill switch", () => {
  it("starts armed and lets mutations through", async () => {
    expect((await getKillSwitchStatus(db)).state).toBe("armed");
    await expect(throwIfKillSwitchEngaged(db)).resolves.toBeUndefined();
  });

  it("engages: persists who/when/why, aborts work in flight, appends the reason, refuses mutations", async () => {
    const task = trackInFlight();
    const results = await engageKillSwitch({
      db,
      actor: commander,
      reason: "parity drift on 3 runs",
      rollbackManifest: false,
      paths,
      settings: parseSettings({}),
    });
    expect(task.signal.aborted).toBe(true);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["persist", "done"],
      ["observer-summary", "done"],
      ["manifest-rollback", "skipped"],
    ]);
    const status = await getKillSwitchStatus(db);
    expect(status).toMatchObject({
      state: "engaged",
      changedBy: "ic@example.test",
      reason: "parity drift on 3 runs",
    });
    await expect(throwIfKillSwitchEngaged(db)).rejects.toThrow(KillSwitchEngagedError);
    await expect(throwIfKillSwitchEngaged(db)).rejects.toThrow(/ic@example\.test.*parity drift on 3 runs/);
    expect(await readFile(paths.observerSummary, "utf8")).toMatch(
      /## Kill switch log\n\n- \S+Z kill switch engaged by ic@example\.test: parity drift on 3 runs/,
    );
    expect((await verifyAuditChain(db)).rows).toBe(1);
  });

  it("runs every step even when one fails, and records each result", async () => {
    registerEngageStep({
      id: "test-failing",
      title: "A step that fails",
      run: async () => {
        throw new Error("GitHub said 503");
      },
    });
    const results = await engageKillSwitch({
      db,
      actor: commander,
      reason: "r",
      rollbackManifest: false,
      paths,
      settings: parseSettings({}),
    });
    expect(results.find((r) => r.id === "test-failing")).toMatchObject({
      status: "failed",
      detail: "GitHub said 503",
    });
    expect(results.find((r) => r.id === "observer-summary")?.status).toBe("done");
    const { rows } = await db.query<{ n: number }>(
      "select count(*)::int as n from kill_switch_events where action = 'step'",
    );
    expect(rows[0]?.n).toBe(results.length - 1);
  });

  it("rolls the manifest back when asked", async () => {
    await updateManifestEntry(paths.manifest, entry("run-1"));
    await updateManifestEntry(paths.manifest, entry("run-2"));
    const results = await engageKillSwitch({
      db,
      actor: commander,
      reason: "manifest integrity",
      rollbackManifest: true,
      paths,
      settings: parseSettings({}),
    });
    expect(results.find((r) => r.id === "manifest-rollback")?.status).toBe("done");
    const manifest = JSON.parse(await readFile(paths.manifest, "utf8")) as { entries: { run_id: string }[] };
    expect(manifest.entries.map((e) => e.run_id)).toEqual(["run-1"]);
  });

  it("refuses release while a restart check fails, then releases when they pass", async () => {
    await updateManifestEntry(paths.manifest, entry("run-1"));
    await engageKillSwitch({
      db,
      actor: commander,
      reason: "r",
      rollbackManifest: false,
      paths,
      settings: parseSettings({}),
    });
    const broken = parseSettings({ SUPABASE_URL: "http://127.0.0.1:9" });
    const refused = await releaseKillSwitch({ db, actor: commander, paths, settings: broken });
    expect(refused.released).toBe(false);
    expect(refused.checks.find((c) => c.id === "secrets")).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/SUPABASE_SERVICE_KEY/),
    });
    expect((await getKillSwitchStatus(db)).state).toBe("engaged");

    const ok = await releaseKillSwitch({ db, actor: commander, paths, settings: parseSettings({}) });
    expect(ok.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(ok.released).toBe(true);
    expect(ok.checks.find((c) => c.id === "supabase")?.status).toBe("skipped");
    expect((await getKillSwitchStatus(db)).state).toBe("released");
    await expect(throwIfKillSwitchEngaged(db)).resolves.toBeUndefined();
  });

  it("releases all the same when a release step fails, and shows and records the failure", async () => {
    registerReleaseStep({
      id: "test-failing-release",
      title: "A release step that fails",
      run: async () => {
        throw new Error("GitHub said 502");
      },
    });
    await updateManifestEntry(paths.manifest, entry("run-1"));
    const settings = parseSettings({});
    await engageKillSwitch({ db, actor: commander, reason: "r", rollbackManifest: false, paths, settings });
    const outcome = await releaseKillSwitch({ db, actor: commander, paths, settings });
    expect(outcome.released).toBe(true);
    expect(outcome.steps.find((s) => s.id === "test-failing-release")).toMatchObject({
      status: "failed",
      detail: "GitHub said 502",
    });
    const { rows } = await db.query<{ detail: { id: string; status: string } }>(
      "select detail from kill_switch_events where action = 'step' and reason = 'release'",
    );
    expect(rows.map((r) => [r.detail.id, r.detail.status])).toContainEqual([
      "test-failing-release",
      "failed",
    ]);
  });

  it("stops work in another process's view within a second of the engagement", async () => {
    const watcher = watchKillSwitch(db, 100);
    const engagedAt = Date.now();
    await engageKillSwitch({
      db,
      actor: commander,
      reason: "r",
      rollbackManifest: false,
      paths,
      settings: parseSettings({}),
    });
    await new Promise<void>((resolve) =>
      watcher.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    watcher.stop();
    expect(Date.now() - engagedAt).toBeLessThan(1000);
    expect(watcher.signal.reason).toBeInstanceOf(KillSwitchEngagedError);
  });
});
