import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startGitHubServer, type GitHubServer } from "../../test/support/github-server";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import { engageKillSwitch, releaseKillSwitch } from "../control/kill-switch-engage";
import type { Actor } from "../control/roles";
import type { Database } from "../db";
import { updateManifestEntry } from "../evidence/manifest";
import "./kill-switch-steps";

const commander: Actor = { id: "c1", email: "ic@example.test", role: "commander", via: "web" };
let server: GitHubServer;
let db: Database;
let root: string;

beforeEach(async () => {
  server = await startGitHubServer({
    runs: [
      { id: 41, createdAt: "2025-11-20T10:00:00Z" },
      { id: 42, createdAt: "2025-11-20T11:00:00Z", status: "in_progress" },
      // Its last job runs `if: always()`: an ordinary cancel leaves it going.
      { id: 43, createdAt: "2025-11-20T11:05:00Z", status: "in_progress", ignoresCancel: true },
      { id: 44, createdAt: "2025-11-20T11:06:00Z", status: "queued" },
      { id: 45, createdAt: "2025-11-20T11:07:00Z", status: "in_progress", workflowFile: "release.yml" },
    ],
  });
  db = await openTestDatabase();
  root = await mkdtemp(path.join(os.tmpdir(), "gh-ks-"));
});

afterEach(async () => {
  await server.close();
  await db.close();
  await rm(root, { recursive: true, force: true });
});

function context(env: Record<string, string> = {}) {
  const settings = parseSettings({
    AUDIT_EVENT: "ev",
    GITHUB_API_URL: server.url,
    GITHUB_TOKEN: server.token,
    GITHUB_REPOSITORY: "octo/audit",
    RETRY_BACKOFF_SCALE: "0",
    ...env,
  });
  return {
    db,
    actor: commander,
    reason: "parity drift on run 42",
    settings,
    paths: getEventPaths(settings, root),
  };
}

const githubStep = (results: Awaited<ReturnType<typeof engageKillSwitch>>) =>
  results.find((result) => result.id === "github-workflow");

describe("kill switch: GitHub steps", () => {
  it("disables the workflow, cancels its queued and in-progress runs, and force-cancels the one still running", async () => {
    // Scale 0.01: the 10 s grace before force-cancel becomes 100 ms.
    const results = await engageKillSwitch({
      ...context({ RETRY_BACKOFF_SCALE: "0.01" }),
      rollbackManifest: false,
    });
    expect(results.map((r) => r.id).slice(0, 2)).toEqual(["persist", "github-workflow"]);
    expect(githubStep(results)).toEqual({
      id: "github-workflow",
      title: "Disable the auto-audit workflow and cancel its runs",
      status: "done",
      detail:
        "disabled phase4-auto-audit.yml; cancelled 3 of 3 queued/in-progress run(s) (44, 43, 42); " +
        "force-cancelled 1 still running after 100 ms (43)",
    });
    expect(server.state.actions).toEqual([
      { action: "disable", target: "phase4-auto-audit.yml" },
      { action: "cancel", target: "44", status: "completed" },
      { action: "cancel", target: "43", status: "in_progress" },
      { action: "cancel", target: "42", status: "completed" },
      { action: "force-cancel", target: "43", status: "completed" },
    ]);
    expect(server.state.workflows.get("phase4-auto-audit.yml")?.state).toBe("disabled_manually");
    expect(server.state.runs.get(45)?.status).toBe("in_progress");
    const { rows } = await db.query<{ detail: { id: string; status: string } }>(
      "select detail from kill_switch_events where action = 'step'",
    );
    expect(rows.map((r) => [r.detail.id, r.detail.status])).toContainEqual(["github-workflow", "done"]);
  });

  it("is skipped, calling nothing, when GITHUB_TOKEN or GITHUB_REPOSITORY is not set", async () => {
    for (const missing of ["GITHUB_TOKEN", "GITHUB_REPOSITORY"]) {
      const results = await engageKillSwitch({ ...context({ [missing]: "" }), rollbackManifest: false });
      expect(githubStep(results)?.status, missing).toBe("skipped");
    }
    expect(server.state.requests).toEqual([]);
  });

  it("still cancels the runs when disabling fails, and reports the step failed with the reason", async () => {
    server.state.addFaults("disableWorkflow", { status: 403 });
    const results = await engageKillSwitch({ ...context(), rollbackManifest: false });
    const step = githubStep(results);
    expect(step?.status).toBe("failed");
    expect(step?.detail).toMatch(/^cancelled 3 of 3 queued\/in-progress run\(s\)/);
    expect(step?.detail).toMatch(
      /failed to disable phase4-auto-audit\.yml: GitHub answered HTTP 403 .*phase4-secrets-check\.sh/,
    );
    expect(step?.detail).not.toContain(server.token);
    expect(server.state.runs.get(42)?.conclusion).toBe("cancelled");
  });

  it("re-enables the workflow when the release's restart checks pass", async () => {
    const ctx = context();
    await updateManifestEntry(ctx.paths.manifest, {
      run_id: "41",
      artifact_path: "docs/reports/ev/artifacts/41/raw/a.zip",
      evidence_type: "artifact",
      recorded_at_utc: "2025-11-20T10:10:00Z",
      sha_parity: true,
      notes: "",
    });
    await engageKillSwitch({ ...ctx, rollbackManifest: false });
    expect(server.state.workflows.get("phase4-auto-audit.yml")?.state).toBe("disabled_manually");
    const outcome = await releaseKillSwitch(ctx);
    expect(outcome.released).toBe(true);
    expect(server.state.workflows.get("phase4-auto-audit.yml")?.state).toBe("active");
    expect(server.state.actions.at(-1)).toEqual({ action: "enable", target: "phase4-auto-audit.yml" });
  });
});
