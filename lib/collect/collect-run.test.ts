import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  completedRun,
  makeCollectRoot,
  OPERATOR,
  runArtifacts,
  treeDigest,
  type CollectSetup,
} from "../../test/support/collect-fixture";
import {
  loadSampleEventState,
  startGitHubServer,
  type GitHubServer,
  type GitHubServerOptions,
} from "../../test/support/github-server";
import { openTestDatabase } from "../../test/support/test-database";
import { randomBytes } from "node:crypto";
import { verifyStep } from "../control/checklist-verify";
import { setKillSwitchState } from "../control/kill-switch";
import "../control/checklist-verifiers";
import type { Database } from "../db";
import { EXIT, exitCodeOf, KillSwitchEngagedError } from "../errors";
import { readManifest } from "../evidence/manifest";
import { readRunsSummary } from "../evidence/runs-summary";
import { generateSampleEvent } from "../sample/generate";
import { collectRun } from "./collect-run";
import { listCollections } from "./collections-store";
import type { CollectProgress } from "./types";

let server: GitHubServer | undefined;
let db: Database;
let setup: CollectSetup;
let sources: string[] = [];
const progress: CollectProgress[] = [];
const logs: string[] = [];

beforeEach(async () => {
  db = await openTestDatabase();
  progress.length = 0;
  logs.length = 0;
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await db.close();
  for (const dir of [setup?.root, ...sources]) if (dir) await fs.rm(dir, { recursive: true, force: true });
  sources = [];
});

async function start(options: GitHubServerOptions) {
  server = await startGitHubServer(options);
  setup = await makeCollectRoot(server);
  return server;
}

const deps = (extra: Partial<Parameters<typeof collectRun>[1]> = {}) => ({
  settings: setup.settings,
  paths: setup.paths,
  db,
  actor: OPERATOR,
  onProgress: (p: CollectProgress) => progress.push(p),
  log: (line: string) => logs.push(line),
  ...extra,
});

describe("collectRun against the local GitHub server", () => {
  it("collects a sample run end to end: record from the GitHub run, manifest and index entries, parity true", async () => {
    const source = await fs.mkdtemp(path.join(os.tmpdir(), "collect-source-"));
    sources.push(source);
    const sourceDir = path.join(source, "docs/reports/src");
    await generateSampleEvent({ dir: sourceDir, root: source, event: "src", runs: 16 });
    const sample = await readRunsSummary(path.join(sourceDir, "RUNS_SUMMARY.json"));
    const chosen = sample.find(
      (r) => r.status === "success" && r.sha_parity && r.trigger_mode === "scheduled",
    );
    if (!chosen) throw new Error("the sample has no scheduled success with parity");
    await start(await loadSampleEventState(sourceDir));

    const result = await collectRun({ runId: chosen.run_id, observerRunId: "obs-7" }, deps());

    expect(result).toMatchObject({ status: "collected", exitCode: 0, runAttempt: 1, dryRun: false });
    expect(result.parity).toMatchObject({
      shaParity: true,
      computedSha: chosen.computed_sha,
      provSha: chosen.prov_sha,
    });
    const record = (await readRunsSummary(setup.paths.runsSummary)).find((r) => r.run_id === chosen.run_id);
    expect(record).toMatchObject({
      status: "success",
      trigger_mode: "scheduled",
      run_started_at_utc: chosen.run_started_at_utc,
      run_completed_at_utc: chosen.run_completed_at_utc,
      duration_sec: chosen.duration_sec,
      head_sha: chosen.head_sha,
      workflow_name: chosen.workflow_name,
      branch: "main",
      sha_parity: true,
      prov_sha: chosen.prov_sha,
      computed_sha: chosen.computed_sha,
      observer_run_id: "obs-7",
      source: "auto",
    });

    const raw = await fs.readdir(path.join(sourceDir, "artifacts", chosen.run_id, "raw"));
    const artifactName = raw.find((n) => n.endsWith(".json") && !/intoto|provenance|sigstore/.test(n)) ?? "";
    const base = `docs/reports/ev/artifacts/${chosen.run_id}/raw`;
    const { entries } = await readManifest(setup.paths.manifest);
    expect(entries).toEqual([
      expect.objectContaining({
        run_id: chosen.run_id,
        evidence_type: "artifact",
        sha_parity: true,
        artifact_path: `${base}/${artifactName}/${artifactName}`,
      }),
      expect.objectContaining({
        run_id: chosen.run_id,
        evidence_type: "provenance",
        sha_parity: true,
        artifact_path: expect.stringMatching(new RegExp(`^${base}/`)),
      }),
    ]);
    for (const entry of entries) {
      const copy = await fs.readFile(path.join(setup.root, entry.artifact_path));
      expect(copy).toEqual(
        await fs.readFile(
          path.join(sourceDir, "artifacts", chosen.run_id, "raw", path.basename(entry.artifact_path)),
        ),
      );
    }
    const index = await fs.readFile(setup.paths.evidenceIndex, "utf8");
    for (const entry of entries) {
      expect(index).toContain(
        `| ${entry.evidence_type} | \`${entry.artifact_path}\` | ${entry.recorded_at_utc} | operator@example.test |`,
      );
    }
    // The workspace is gone: only the run's folder is left under artifacts/.
    expect(await fs.readdir(setup.paths.artifacts)).toEqual([chosen.run_id]);

    const rows = await listCollections(db, "ev", chosen.run_id);
    expect(rows).toHaveLength(2);
    expect(
      rows.every((r) => r.state === "done" && r.shaParity === true && r.artifactPath?.startsWith(base)),
    ).toBe(true);
    expect(progress.map((p) => p.phase)).toEqual(
      expect.arrayContaining(["queued", "downloading", "extracting", "comparing", "done"]),
    );
    const audit = await db.query<{ target: string; detail: { status: string } }>(
      "select target, detail from audit_log where action = 'collect.run'",
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({
        target: chosen.run_id,
        detail: expect.objectContaining({ status: "collected" }),
      }),
    ]);
    // The token never went to the storage host.
    expect(server?.state.requests.filter((r) => r.route === "storage").every((r) => r.auth === "none")).toBe(
      true,
    );
  });

  it("leaves the event folder byte for byte unchanged on a dry run, and ticks checklist step 4", async () => {
    await start({ runs: [completedRun(101)], artifacts: runArtifacts(101) });
    await fs.mkdir(setup.paths.dir, { recursive: true });
    await fs.writeFile(setup.paths.runsSummary, "[]\n");
    await fs.writeFile(setup.paths.evidenceIndex, "# Evidence index — ev\n");
    const before = await treeDigest(setup.paths.dir);
    const files = {
      runsSummary: setup.paths.runsSummary,
      manifest: setup.paths.manifest,
      observerSummary: "x",
      phase3Summary: "y",
    };
    expect(await verifyStep(4, { db, event: "ev", files })).toMatchObject({ status: "unverified" });

    const result = await collectRun({ runId: "101", dryRun: true }, deps());

    expect(result).toMatchObject({
      status: "collected",
      dryRun: true,
      exitCode: 0,
      parity: { shaParity: true },
    });
    expect(result.record).toMatchObject({ run_id: "101", sha_parity: true });
    expect(result.manifestEntries.map((e) => e.evidence_type)).toEqual(["artifact", "provenance"]);
    expect(await treeDigest(setup.paths.dir)).toEqual(before);
    expect(server?.state.count("storage")).toBe(2);
    const rows = await listCollections(db, "ev", "101");
    expect(rows.every((r) => r.dryRun && r.state === "done" && r.artifactPath === null)).toBe(true);
    expect(await verifyStep(4, { db, event: "ev", files })).toMatchObject({
      status: "verified",
      evidence: expect.stringContaining("dry run of run 101"),
    });
  });

  it("fails the digest check of a truncated download and records nothing as collected", async () => {
    const gh = await start({ runs: [completedRun(102)], artifacts: runArtifacts(102) });
    // The storage serves half the zip with a matching Content-Length, GitHub's digest is the whole zip's.
    const app = [...gh.state.artifacts.values()].find((a) => a.name === "app");
    if (!app) throw new Error("no app artifact");
    app.zip = app.zip.subarray(0, Math.floor(app.zip.length / 2));

    const result = await collectRun({ runId: "102" }, deps());

    expect(result).toMatchObject({ status: "failed", exitCode: EXIT.serviceRefused, record: null });
    expect(result.artifacts.find((a) => a.name === "app")).toMatchObject({
      state: "failed",
      error: expect.stringMatching(/sha256 [0-9a-f]{64} differs from the digest GitHub reported/),
    });
    expect(await treeDigest(setup.paths.dir)).toEqual(new Map());
    const rows = await listCollections(db, "ev", "102");
    expect(rows.map((r) => r.state).sort()).toEqual(["failed", "failed"]);
    expect(rows.some((r) => r.state === "done")).toBe(false);
    // An integrity failure is not retried: one request to the storage for the app.
    expect(gh.state.count("storage")).toBe(2);
  });

  it("reports an expired artifact (HTTP 410) with exit 78, asks once, and still collects the others", async () => {
    const artifacts = [
      { runId: 103, name: "docs", files: { "index.html": "<p>docs</p>" } },
      ...runArtifacts(103),
    ];
    const gh = await start({
      runs: [completedRun(103)],
      artifacts,
      faults: { downloadArtifact: [{ status: 410 }] },
    });

    const result = await collectRun({ runId: "103" }, deps());

    expect(result).toMatchObject({
      status: "collected",
      exitCode: EXIT.serviceRefused,
      parity: { shaParity: true },
    });
    expect(result.artifacts.find((a) => a.name === "docs")).toMatchObject({
      state: "refused",
      expired: true,
      error: expect.stringContaining("HTTP 410"),
    });
    expect(gh.state.requests.filter((r) => r.route === "downloadArtifact").map((r) => r.status)).toEqual([
      410, 302, 302,
    ]);
    expect(gh.state.count("storage")).toBe(2);
    const record = (await readRunsSummary(setup.paths.runsSummary))[0];
    expect(record?.observer_notes).toContain("artifact docs not collected: expired (HTTP 410)");
  });

  it("does not even ask for an artifact GitHub lists as expired", async () => {
    const artifacts = runArtifacts(104).map((a) => (a.name === "provenance" ? { ...a, expired: true } : a));
    const gh = await start({ runs: [completedRun(104)], artifacts });
    const result = await collectRun({ runId: "104" }, deps());
    expect(result.artifacts.find((a) => a.name === "provenance")).toMatchObject({
      state: "refused",
      expired: true,
    });
    expect(gh.state.count("downloadArtifact")).toBe(1);
    expect(result).toMatchObject({
      exitCode: EXIT.serviceRefused,
      status: "collected",
      parity: { shaParity: false },
    });
    expect(result.record?.observer_notes).toMatch(
      /sha_parity=false: no provenance.*artifact provenance not collected: expired/,
    );
  });

  it("retries [503, 503, 200] on the artifacts listing in one layer: exactly 3 requests", async () => {
    const gh = await start({
      runs: [completedRun(105)],
      artifacts: runArtifacts(105),
      faults: { listArtifacts: [{ status: 503 }, { status: 503 }] },
    });
    const result = await collectRun({ runId: "105" }, deps());
    expect(result).toMatchObject({ status: "collected", exitCode: 0 });
    expect(gh.state.requests.filter((r) => r.route === "listArtifacts").map((r) => r.status)).toEqual([
      503, 503, 200,
    ]);
    const history = await db.query<{ status_code: number; decision: string }>(
      "select status_code, decision from retry_history where service = 'github' order by id",
    );
    expect(history.rows).toEqual([
      { status_code: 503, decision: "retry" },
      { status_code: 503, decision: "retry" },
      { status_code: 200, decision: "success" },
    ]);
  });

  it("retries a storage 503 in the download's one layer, with a fresh signed URL per attempt", async () => {
    const gh = await start({
      runs: [completedRun(110)],
      artifacts: runArtifacts(110),
      faults: { storage: [{ status: 503 }, { status: 503 }] },
    });
    const result = await collectRun({ runId: "110" }, deps());
    expect(result).toMatchObject({ status: "collected", exitCode: 0 });
    expect(gh.state.requests.filter((r) => r.route === "storage").map((r) => r.status)).toEqual([
      503, 503, 200, 200,
    ]);
    expect(gh.state.requests.filter((r) => r.route === "downloadArtifact").map((r) => r.status)).toEqual([
      302, 302, 302, 302,
    ]);
  });

  it("retries a download cut short by the connection and collects it whole", async () => {
    const gh = await start({
      runs: [completedRun(106)],
      artifacts: runArtifacts(106),
      faults: { storage: [{ truncate: true }] },
    });
    const result = await collectRun({ runId: "106" }, deps());
    expect(result).toMatchObject({ status: "collected", exitCode: 0, parity: { shaParity: true } });
    expect(gh.state.requests.filter((r) => r.route === "storage").map((r) => r.status)).toEqual([
      "truncated",
      200,
      200,
    ]);
  });

  it("refuses with exit 3 while the kill switch is engaged, before asking GitHub anything", async () => {
    const gh = await start({ runs: [completedRun(109)], artifacts: runArtifacts(109) });
    const commander = {
      id: "c",
      email: "commander@example.test",
      role: "commander" as const,
      via: "web" as const,
    };
    await setKillSwitchState(db, commander, "engaged", "incident");
    const error = await collectRun({ runId: "109" }, deps()).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(EXIT.killSwitch);
    expect(gh.state.requests).toEqual([]);
    expect(await listCollections(db, "ev")).toEqual([]);
  });

  it("refuses a run that has not completed, naming its status", async () => {
    await start({ runs: [completedRun(107, { status: "in_progress", conclusion: null })] });
    const error = await collectRun({ runId: "107" }, deps()).catch((e: unknown) => e);
    expect(exitCodeOf(error)).toBe(EXIT.input);
    expect((error as Error).message).toMatch(/run 107: its status is in_progress, expected completed/);
  });

  it("stops a download within 1 s when the kill switch is engaged mid-download, and writes nothing", async () => {
    const payload = randomBytes(4 * 1024 * 1024);
    await start({ runs: [completedRun(108)], artifacts: runArtifacts(108, { payload }) });
    const before = await treeDigest(setup.paths.dir);
    let engagedAt = 0;
    let engaging = Promise.resolve();
    const commander = {
      id: "c",
      email: "commander@example.test",
      role: "commander" as const,
      via: "web" as const,
    };
    const onProgress = (p: CollectProgress) => {
      progress.push(p);
      if (engagedAt === 0 && p.phase === "downloading" && p.bytes > 0) {
        engagedAt = performance.now();
        engaging = setKillSwitchState(db, commander, "engaged", "stop the collection");
      }
    };
    const outcome = await collectRun({ runId: "108" }, deps({ onProgress, fetchImpl: slowStorage })).then(
      () => null,
      (error: unknown) => error,
    );
    const stoppedAfterMs = performance.now() - engagedAt;
    await engaging;
    expect(outcome).toBeInstanceOf(KillSwitchEngagedError);
    expect(stoppedAfterMs).toBeLessThan(1_000);
    expect(progress.some((p) => p.phase === "downloading" && p.bytes > 0 && p.bytes < (p.total ?? 0))).toBe(
      true,
    );
    expect(await treeDigest(setup.paths.dir)).toEqual(before);
    const rows = await listCollections(db, "ev", "108");
    expect(rows.map((r) => [r.state, r.error])).toEqual([
      ["failed", expect.stringMatching(/^stopped: .*kill switch is engaged/)],
    ]);
  });
});

/** The real fetch, with storage bodies trickling in (16 KiB every 20 ms) so a download is caught in the middle. */
const slowStorage: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!url.includes("/_storage/") || !response.body) return response;
  const reader = response.body.getReader();
  let cancelled = false;
  let held = new Uint8Array(0);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (cancelled) return;
      if (held.length === 0) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        held = value;
      }
      controller.enqueue(held.slice(0, 16 * 1024));
      held = held.subarray(16 * 1024);
    },
    async cancel(reason) {
      cancelled = true;
      await reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
};
