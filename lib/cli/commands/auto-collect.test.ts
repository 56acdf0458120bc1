import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { completedRun, runArtifacts, treeDigest } from "../../../test/support/collect-fixture";
import { startDbServer } from "../../../test/support/db-server";
import { startGitHubServer, type GitHubServer } from "../../../test/support/github-server";
import { openEmbedded } from "../../db/embedded";

/**
 * scripts/phase4-auto-collect.sh as an operator and the scheduled workflow run it: the bundled CLI
 * in its own process, against the local GitHub server and a database another process serves.
 */
const scripts = path.join(inject("cliRoot"), "scripts");
let root: string;
let db: { stop: () => Promise<void> };
let gh: GitHubServer;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "auto-collect-cli-"));
  db = await startDbServer(root);
  gh = await startGitHubServer({
    runs: [completedRun(701), completedRun(702), completedRun(703), completedRun(704)],
    artifacts: [
      ...runArtifacts(701),
      ...runArtifacts(702),
      ...runArtifacts(703).map((a) => (a.name === "provenance" ? { ...a, expired: true } : a)),
      ...runArtifacts(704, { payload: randomBytes(2 * 1024 * 1024) }),
    ],
  });
}, 60_000);

afterAll(async () => {
  await gh?.close();
  await db?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

function env(event: string) {
  // Only what the script needs: no integration settings leak in from the test's environment.
  return {
    NODE_ENV: process.env.NODE_ENV ?? "test",
    PATH: process.env.PATH ?? "",
    HOME: root,
    AUDITLOOP_ROOT: root,
    AUDIT_EVENT: event,
    GITHUB_ACTOR: "ci",
    GITHUB_API_URL: gh.url,
    GITHUB_TOKEN: gh.token,
    GITHUB_REPOSITORY: "octo/audit",
    RETRY_BACKOFF_SCALE: "0",
  };
}

/**
 * Runs a script without blocking: the GitHub server answers from this very process, so a
 * spawnSync would leave every request of the script unanswered.
 */
async function sh(script: string, args: string[], event = "ev") {
  const child = spawn("bash", [path.join(scripts, `phase4-${script}.sh`), ...args], {
    cwd: root,
    env: env(event),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  expect(stdout + stderr).not.toContain(gh.token);
  return { code, stdout, stderr };
}

const eventDir = (event: string) => path.join(root, "docs/reports", event);

describe("scripts/phase4-auto-collect.sh", () => {
  it("collects a run: the result line on stdout, progress on stderr, the evidence in the event folder", async () => {
    const result = await sh("auto-collect", ["701", "--observer-run-id", "obs-cli", "--tag", "nightly"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^run_id=701 run_attempt=1 status=collected conclusion=success artifacts=2\/2 bytes=\d+ sha_parity=true computed_sha=[0-9a-f]{64} prov_sha=[0-9a-f]{64} digest_alg=sha256 subject=dist\/app\.tar\.gz dry_run=false\n/,
    );
    expect(result.stdout).toContain("  artifact=app id=");
    expect(result.stderr).toMatch(
      /^collect run_id=701 artifact="app" phase=downloading bytes=\d+\/\d+ percent=\d+$/m,
    );
    expect(result.stderr).toMatch(/^collect run_id=701 artifact="provenance" phase=done /m);
    const runs = JSON.parse(
      await fs.readFile(path.join(eventDir("ev"), "RUNS_SUMMARY.json"), "utf8"),
    ) as Record<string, unknown>[];
    expect(runs).toEqual([
      expect.objectContaining({
        run_id: "701",
        observer_run_id: "obs-cli",
        observer_notes: "tag=nightly",
        sha_parity: true,
      }),
    ]);
    const index = await fs.readFile(path.join(eventDir("ev"), "_evidence_index.md"), "utf8");
    expect(index).toContain("| artifact | `docs/reports/ev/artifacts/701/raw/app/app.tar.gz` |");
    expect(index).toContain("| cli:github:ci |");
  });

  it("--dry-run --json reports what it would record and leaves the event folder byte for byte unchanged", async () => {
    const before = await treeDigest(eventDir("ev"));
    const result = await sh("auto-collect", ["702", "--dry-run", "--json"]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      ok: boolean;
      dryRun: boolean;
      record: { run_id: string };
      manifestEntries: unknown[];
    };
    expect(parsed).toMatchObject({
      ok: true,
      exit_code: 0,
      dryRun: true,
      record: { run_id: "702", sha_parity: true },
    });
    expect(parsed.manifestEntries).toHaveLength(2);
    expect(await treeDigest(eventDir("ev"))).toEqual(before);
  });

  it("exits 78 for an expired artifact, naming it, and records the rest", async () => {
    const result = await sh("auto-collect", ["703"]);
    expect(result.code).toBe(78);
    expect(result.stdout).toMatch(
      / {2}artifact=provenance id=\d+ state=refused bytes=0 expired=true error=".*expired/,
    );
    expect(result.stdout).toMatch(/^run_id=703 .*status=collected .*sha_parity=false/);
  });

  it("refuses bad usage with exit 1, naming the flag", async () => {
    expect(await sh("auto-collect", [])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/expected a <run_id> or --window-days N/),
    });
    expect(await sh("auto-collect", ["701", "--workflow", "x.yml"])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--workflow: only with --window-days"),
    });
    expect(await sh("auto-collect", ["--window-days", "0"])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("--window-days: expected an integer from 1 to 90, got '0'"),
    });
  });

  it("stops within 1 s with exit 3 when the kill switch is engaged mid-download, and writes nothing", async () => {
    gh.state.addFaults("storage", { delayMs: 20_000 });
    const child = spawn("bash", [path.join(scripts, "phase4-auto-collect.sh"), "704"], {
      cwd: root,
      env: env("kill"),
    });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    const downloading = new Promise<void>((resolve) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes("phase=downloading")) resolve();
      });
    });
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.once("exit", (code) => resolve({ code, at: Date.now() })),
    );
    await downloading;
    const engaged = await sh("killswitch", ["engage", "--reason", "stop the collection"], "kill");
    expect(engaged.code).toBe(0);
    const { code, at } = await exited;
    expect(code).toBe(3);
    // From the moment the switch was persisted (the engage's first step) to the collector's exit.
    const served = await openEmbedded(path.join(root, ".data"));
    const { rows } = await served.query<{ changed_at: Date | string }>(
      "select changed_at from kill_switch where id",
    );
    await served.close();
    expect(at - Date.parse(String(new Date(rows[0]?.changed_at ?? 0).toISOString()))).toBeLessThan(1_000);
    expect(stderr).toMatch(/kill switch is engaged/);
    expect(stdout).toBe("");
    // The kill switch itself appends its reason to AUTO_OBSERVER_SUMMARY.md; the collector wrote nothing.
    const after = await treeDigest(eventDir("kill"));
    expect([...after.keys()].filter((name) => name !== "AUTO_OBSERVER_SUMMARY.md")).toEqual([]);
  });
});
