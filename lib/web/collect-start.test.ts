import { promises as fs } from "node:fs";
import { describe, expect, it } from "vitest";
import { completedRun, OPERATOR, runArtifacts, type CollectSetup } from "../../test/support/collect-fixture";
import { setUpCollectTests } from "../../test/support/collect-test-bed";
import { type GitHubServerOptions } from "../../test/support/github-server";
import { listCollections } from "../collect/collections-store";
import { runAction } from "../control/action";
import { setKillSwitchState } from "../control/kill-switch";
import type { Actor } from "../control/roles";
import { ForbiddenError, InputError, KillSwitchEngagedError } from "../errors";
import { readManifest } from "../evidence/manifest";
import { getCollectJob, type CollectJob } from "./collect-jobs";
import { startCollectRunAction, startCollectWindowAction } from "./collect-start";

const OBSERVER: Actor = { id: "u-obs", email: "observer@example.test", role: "observer", via: "web" };
const COMMANDER: Actor = { id: "u-cmd", email: "commander@example.test", role: "commander", via: "web" };

const bed = setUpCollectTests();

const start = async (options: GitHubServerOptions): Promise<CollectSetup> => (await bed.start(options)).setup;

const env = (s: CollectSetup) => ({ settings: s.settings, paths: s.paths, log: () => undefined });

/** Polls the registry until the job has ended (the work runs on after the action answered). */
async function waitForEnd(id: string, timeoutMs = 15_000): Promise<CollectJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = getCollectJob(id);
    if (!job) throw new Error(`job ${id} vanished`);
    if (job.state !== "running") return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still running after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("the dashboard's collect actions: checks before anything starts", () => {
  it("refuses an observer: nothing is asked of GitHub and no collection row is written", async () => {
    const s = await start({ runs: [completedRun(101)], artifacts: runArtifacts(101) });
    const call = runAction(startCollectRunAction(env(s)), {
      actor: OBSERVER,
      input: { runId: "101", dryRun: true },
      db: bed.db,
    });
    await expect(call).rejects.toThrow(ForbiddenError);
    await expect(call).rejects.toThrow(
      /observer role may not run collect\.start \(allowed roles: operator\)/,
    );
    expect(bed.server?.state.requests).toEqual([]);
    expect(await listCollections(bed.db, s.paths.event)).toEqual([]);
  });

  it("refuses a run id that is not digits, naming the field, and an unknown field from the browser", async () => {
    const s = await start({});
    const action = startCollectRunAction(env(s));
    for (const input of [{ runId: "12a", dryRun: false }, { runId: "", dryRun: true }, { dryRun: true }]) {
      await expect(runAction(action, { actor: OPERATOR, input, db: bed.db })).rejects.toThrow(
        /^runId: expected /,
      );
    }
    await expect(
      runAction(action, { actor: OPERATOR, input: { runId: "1", dryRun: "yes" }, db: bed.db }),
    ).rejects.toThrow(/dryRun: expected/);
    // Settings are the server's: a browser cannot smuggle GitHub's URL in.
    await expect(
      runAction(action, {
        actor: OPERATOR,
        input: { runId: "1", dryRun: false, apiUrl: "http://x" },
        db: bed.db,
      }),
    ).rejects.toThrow(InputError);
    expect(bed.server?.state.requests).toEqual([]);
  });

  it("refuses a window outside 1 to 90 days", async () => {
    const s = await start({});
    const action = startCollectWindowAction(env(s));
    for (const windowDays of [0, 91, 2.5, "7"]) {
      await expect(
        runAction(action, { actor: OPERATOR, input: { windowDays, dryRun: false }, db: bed.db }),
      ).rejects.toThrow(/^windowDays: expected /);
    }
    expect(bed.server?.state.requests).toEqual([]);
  });

  it("refuses while the kill switch is engaged, with the engagement's reason", async () => {
    const s = await start({ runs: [completedRun(102)], artifacts: runArtifacts(102) });
    await setKillSwitchState(bed.db, COMMANDER, "engaged", "parity drift under investigation");
    const call = runAction(startCollectRunAction(env(s)), {
      actor: OPERATOR,
      input: { runId: "102", dryRun: false },
      db: bed.db,
    });
    await expect(call).rejects.toThrow(KillSwitchEngagedError);
    await expect(call).rejects.toThrow(/parity drift under investigation/);
    expect(bed.server?.state.requests).toEqual([]);
  });
});

describe("the dashboard's collect actions: the work goes on after the answer", () => {
  it("answers while the download is held up, then finishes in the background with evidence recorded", async () => {
    const s = await start({
      runs: [completedRun(201)],
      artifacts: runArtifacts(201),
      faults: { storage: [{ delayMs: 1_500 }] },
    });
    const began = performance.now();
    const job = await runAction(startCollectRunAction(env(s), 5_000), {
      actor: OPERATOR,
      input: { runId: "201", dryRun: false },
      db: bed.db,
    });
    const answeredMs = performance.now() - began;

    expect(job).toMatchObject({
      kind: "run",
      target: "201",
      dryRun: false,
      state: "running",
      actor: OPERATOR.email,
    });
    expect(answeredMs).toBeLessThan(1_500);
    // The answer came once the first artifact was queued: every dashboard already sees its row.
    expect((await listCollections(bed.db, s.paths.event, "201")).length).toBeGreaterThan(0);

    const ended = await waitForEnd(job.id);
    expect(ended.state).toBe("done");
    expect(ended.summary).toMatch(/^run 201 collected: 2 artifact\(s\), \d+ bytes, sha_parity=true$/);
    const rows = await listCollections(bed.db, s.paths.event, "201");
    expect(rows.map((r) => [r.artifactName, r.state, r.shaParity])).toEqual([
      ["provenance", "done", true],
      ["app", "done", true],
    ]);
    const { entries } = await readManifest(s.paths.manifest);
    expect(entries.map((e) => [e.run_id, e.evidence_type, e.sha_parity])).toEqual([
      ["201", "artifact", true],
      ["201", "provenance", true],
    ]);
  });

  it("keeps a failure before the first artifact on the job, and answers with it", async () => {
    const s = await start({ runs: [completedRun(301)], artifacts: runArtifacts(301) });
    const job = await runAction(startCollectRunAction(env(s)), {
      actor: OPERATOR,
      input: { runId: "999", dryRun: true },
      db: bed.db,
    });
    expect(job.state).toBe("failed");
    expect(job.error).toMatch(/404|not found/i);
    expect(job.error).not.toContain(bed.server?.token ?? "never");
    expect(await listCollections(bed.db, s.paths.event)).toEqual([]);
  });

  it("stops a collection started from the dashboard when the kill switch is engaged mid-download", async () => {
    const s = await start({
      runs: [completedRun(401)],
      artifacts: runArtifacts(401),
      faults: { storage: [{ delayMs: 10_000 }] },
    });
    const job = await runAction(startCollectRunAction(env(s), 5_000), {
      actor: OPERATOR,
      input: { runId: "401", dryRun: false },
      db: bed.db,
    });
    expect(job.state).toBe("running");
    const engagedAt = performance.now();
    await setKillSwitchState(bed.db, COMMANDER, "engaged", "stop the loop now");

    const ended = await waitForEnd(job.id);
    expect(performance.now() - engagedAt).toBeLessThan(3_000);
    expect(ended.state).toBe("failed");
    expect(ended.error).toMatch(/stop the loop now/);
    const rows = await listCollections(bed.db, s.paths.event, "401");
    expect(rows.every((r) => r.state === "failed" && r.finishedAt !== null)).toBe(true);
    await expect(fs.stat(s.paths.manifest)).rejects.toThrow(/ENOENT/);
  });

  it("collects the window in the background and sums it up", async () => {
    const now = Date.now();
    const at = (minutesAgo: number) =>
      new Date(now - minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, "Z");
    const s = await start({
      runs: [
        completedRun(501, { createdAt: at(90), runStartedAt: at(89), updatedAt: at(85) }),
        completedRun(502, { createdAt: at(60), runStartedAt: at(59), updatedAt: at(55) }),
      ],
      artifacts: [...runArtifacts(501), ...runArtifacts(502)],
    });
    const job = await runAction(startCollectWindowAction(env(s)), {
      actor: OPERATOR,
      input: { windowDays: 1, dryRun: true },
      db: bed.db,
    });
    expect(job).toMatchObject({ kind: "window", target: "1 days", dryRun: true });
    const ended = await waitForEnd(job.id);
    expect(ended.summary).toBe(
      "dry run of the window of 1 day(s): 2 run(s), 2 collected, 0 skipped, 0 failed",
    );
    // A dry run writes no evidence.
    await expect(fs.stat(s.paths.manifest)).rejects.toThrow(/ENOENT/);
  });
});
