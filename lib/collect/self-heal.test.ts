import { describe, expect, it } from "vitest";
import { completedRun, runArtifacts, sha256 } from "../../test/support/collect-fixture";
import { setUpCollectTests } from "../../test/support/collect-test-bed";
import {
  buildZip,
  type GitHubServer,
  type GitHubServerOptions,
  type JobInput,
} from "../../test/support/github-server";
import { readRunsSummary } from "../evidence/runs-summary";
import { computeKpis } from "../observer/kpis";
import { collectRun } from "./collect-run";
import { listCollections } from "./collections-store";
import { listSelfHealAttempts } from "./self-heal-store";
import type { CollectProgress } from "./types";

const bed = setUpCollectTests();

const start = async (options: GitHubServerOptions) => (await bed.start(options)).server;
const deps = (onProgress?: (p: CollectProgress) => void) => bed.deps(onProgress);

const failedJob = (message: string): JobInput => ({
  name: "audit",
  conclusion: "failure",
  steps: [
    { name: "Set up job", conclusion: "success" },
    { name: "Collect evidence", conclusion: "failure" },
  ],
  annotations: [{ level: "failure", message }],
});

/** GitHub finishing the attempt a re-run started, `hours` after the first failure's completion. */
function finishAttempt(gh: GitHubServer, runId: number, conclusion: "success" | "failure", hours: number) {
  const run = gh.state.runs.get(runId);
  if (!run) throw new Error(`no run ${runId}`);
  const at = (h: number) =>
    new Date(Date.parse("2025-11-20T10:04:05Z") + h * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  Object.assign(run, {
    status: "completed",
    conclusion,
    runStartedAt: at(hours - 0.05),
    updatedAt: at(hours),
  });
  for (const job of run.jobs) Object.assign(job, { status: "completed", conclusion });
}

describe("self-heal: parity", () => {
  it("downloads again once when parity is false, and records the run healed when the second compare matches", async () => {
    const gh = await start({
      runs: [completedRun(201)],
      artifacts: runArtifacts(201, { wrongProvenance: true }),
    });
    const good = runArtifacts(201).find((a) => a.name === "provenance");
    const goodZip = await buildZip(good?.files ?? {});
    let swapped = false;
    // GitHub serves the right provenance from the second download on (a re-uploaded attestation).
    const onProgress = (p: CollectProgress) => {
      if (swapped || p.phase !== "comparing") return;
      swapped = true;
      const provenance = [...gh.state.artifacts.values()].find((a) => a.name === "provenance");
      if (provenance) Object.assign(provenance, { zip: goodZip, digest: `sha256:${sha256(goodZip)}` });
    };

    const result = await collectRun({ runId: "201" }, deps(onProgress));

    expect(result.selfHeal.parity).toEqual({
      attempted: true,
      healed: true,
      because: expect.stringMatching(/^sha_parity=false: /),
    });
    expect(result).toMatchObject({ status: "collected", exitCode: 0, parity: { shaParity: true } });
    expect((await readRunsSummary(bed.setup?.paths.runsSummary ?? ""))[0]).toMatchObject({
      run_id: "201",
      sha_parity: true,
    });
    expect(gh.state.count("listArtifacts")).toBe(2);
    expect(gh.state.count("storage")).toBe(4);
    const rows = (await listCollections(bed.db, "ev", "201")).reverse();
    expect(rows.map((r) => [r.state, r.shaParity])).toEqual([
      ["done", false],
      ["done", false],
      ["done", true],
      ["done", true],
    ]);
    expect(await listSelfHealAttempts(bed.db, "201")).toEqual([
      expect.objectContaining({
        kind: "parity-redownload",
        attempt: 1,
        outcome: "healed",
        withinObjective: true,
      }),
    ]);
  });

  it("records the attempt failed and the run's parity false, with the reason, when the second compare differs too", async () => {
    const gh = await start({
      runs: [completedRun(202)],
      artifacts: runArtifacts(202, { wrongProvenance: true }),
    });
    const result = await collectRun({ runId: "202" }, deps());
    expect(result.selfHeal.parity).toMatchObject({ attempted: true, healed: false });
    expect(gh.state.count("storage")).toBe(4);
    expect(result.record).toMatchObject({
      sha_parity: false,
      observer_notes: expect.stringMatching(
        /sha_parity=false: the sha256 of no artifact file matches a subject of provenance\/provenance-app\.json/,
      ),
    });
    expect(await listSelfHealAttempts(bed.db, "202")).toEqual([
      expect.objectContaining({ outcome: "failed", healSec: null }),
    ]);
  });
});

describe("self-heal: re-running failed jobs", () => {
  it("re-runs a run failed by an HTTP 503, then records the new attempt as retry / observer-auto, healed within 24 h", async () => {
    const gh = await start({
      runs: [
        completedRun(301, {
          conclusion: "failure",
          jobs: [failedJob("artifact download returned HTTP 503")],
        }),
      ],
      artifacts: runArtifacts(301),
    });
    const first = await collectRun({ runId: "301" }, deps());
    expect(first.selfHeal.rerun).toMatchObject({ healable: true, action: "requested", attempt: 1 });
    expect(first.selfHeal.rerun?.because).toContain('annotation "artifact download returned HTTP 503"');
    expect(gh.state.actions).toEqual([{ action: "rerun-failed-jobs", target: "301", status: "queued" }]);

    finishAttempt(gh, 301, "success", 2);
    const second = await collectRun({ runId: "301" }, deps());
    expect(second).toMatchObject({
      recordRunId: "301-attempt-2",
      runAttempt: 2,
      selfHeal: { healed: { healSec: 7200, withinObjective: true } },
    });
    expect(second.selfHeal.rerun?.action).toBe("none");
    const runs = await readRunsSummary(bed.setup?.paths.runsSummary ?? "");
    expect(runs.map((r) => [r.run_id, r.status, r.trigger_mode, r.retries, r.retry_origin])).toEqual([
      ["301", "failure", "scheduled", 0, null],
      ["301-attempt-2", "success", "retry", 1, "observer-auto"],
    ]);
    expect(await listSelfHealAttempts(bed.db, "301")).toEqual([
      expect.objectContaining({
        kind: "rerun-failed-jobs",
        attempt: 1,
        outcome: "healed",
        healSec: 7200,
        withinObjective: true,
      }),
    ]);
    // The KPIs see the heal the same way: the failure healed by the retry 2 h later.
    const kpis = computeKpis(runs, { asOf: new Date("2025-11-21T00:00:00Z"), windowDays: 7 });
    expect(kpis.self_heal.healed).toEqual([
      { run_id: "301", healed_by: "301-attempt-2", self_heal_sec: 7200 },
    ]);
  });

  it("records a heal later than 24 h as over the objective", async () => {
    const gh = await start({
      runs: [
        completedRun(302, {
          conclusion: "failure",
          jobs: [failedJob("GitHub API answered HTTP 429 (rate limited)")],
        }),
      ],
    });
    await collectRun({ runId: "302" }, deps());
    finishAttempt(gh, 302, "success", 26);
    const healed = await collectRun({ runId: "302" }, deps());
    expect(healed.selfHeal.healed).toEqual({ healSec: 26 * 3600, withinObjective: false });
  });

  it("does not re-run a run whose failure shows a 422 input error", async () => {
    const gh = await start({
      runs: [
        completedRun(303, {
          conclusion: "failure",
          jobs: [failedJob("Supabase upsert refused with HTTP 422 (input error, not retried)")],
        }),
      ],
      artifacts: runArtifacts(303),
    });
    const result = await collectRun({ runId: "303" }, deps());
    expect(result.selfHeal.rerun).toMatchObject({
      healable: false,
      action: "not-healable",
      because: expect.stringContaining("4xx"),
    });
    expect(gh.state.actions).toEqual([]);
    expect(gh.state.count("rerunFailedJobs")).toBe(0);
    expect(await listSelfHealAttempts(bed.db, "303")).toEqual([]);
  });

  it("re-runs at most 3 times, then reports the run exhausted and records retry_exhausted", async () => {
    const gh = await start({
      runs: [
        completedRun(304, {
          conclusion: "failure",
          jobs: [failedJob("502 Bad Gateway from the artifact store")],
        }),
      ],
    });
    for (const attempt of [1, 2, 3]) {
      const result = await collectRun({ runId: "304" }, deps());
      expect(result.selfHeal.rerun).toMatchObject({ action: "requested", attempt });
      finishAttempt(gh, 304, "failure", attempt);
    }
    const last = await collectRun({ runId: "304" }, deps());
    expect(last.selfHeal.rerun).toMatchObject({ action: "exhausted", attempt: null });
    expect(last.record).toMatchObject({
      run_id: "304-attempt-4",
      retries: 3,
      retry_exhausted: true,
      retry_origin: "observer-auto",
    });
    expect(gh.state.actions.filter((a) => a.action === "rerun-failed-jobs")).toHaveLength(3);
    expect((await listSelfHealAttempts(bed.db, "304")).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, "failed"],
      [2, "failed"],
      [3, "exhausted"],
    ]);
  });

  it("keeps the collected evidence and reports exit 75 when reading the failed run's jobs exhausts its retries", async () => {
    const gh = await start({
      runs: [completedRun(306, { conclusion: "failure", jobs: [failedJob("HTTP 503")] })],
      artifacts: runArtifacts(306),
      faults: { listJobs: Array.from({ length: 4 }, () => ({ status: 502 })) },
    });
    const result = await collectRun({ runId: "306" }, deps());
    expect(result).toMatchObject({
      status: "collected",
      exitCode: 75,
      record: { run_id: "306", status: "failure" },
    });
    expect(result.selfHeal.rerun).toMatchObject({
      action: "failed",
      because: expect.stringMatching(/retry_exhausted=true/),
    });
    expect(gh.state.count("listJobs")).toBe(4);
    expect(gh.state.count("rerunFailedJobs")).toBe(0);
  });

  it("never re-runs on a dry run", async () => {
    const gh = await start({
      runs: [completedRun(305, { conclusion: "failure", jobs: [failedJob("HTTP 503 Service Unavailable")] })],
    });
    const result = await collectRun({ runId: "305", dryRun: true }, deps());
    expect(result.selfHeal.rerun).toMatchObject({ healable: true, action: "skipped-dry-run" });
    expect(gh.state.count("rerunFailedJobs")).toBe(0);
  });
});
