import { promises as fs } from "node:fs";
import { describe, expect, it } from "vitest";
import { runArtifacts } from "../../test/support/collect-fixture";
import { setUpCollectTests } from "../../test/support/collect-test-bed";
import { completedRuns, type GitHubServerOptions } from "../../test/support/github-server";
import { EXIT } from "../errors";
import { readManifest } from "../evidence/manifest";
import { readRunsSummary } from "../evidence/runs-summary";
import { collectWindow } from "./collect-window";
import type { CollectProgress } from "./types";

const bed = setUpCollectTests();

const AS_OF = "2025-11-21T12:00:00Z";

const start = async (options: GitHubServerOptions) => (await bed.start(options)).server;
const deps = (onProgress?: (p: CollectProgress) => void) => bed.deps(onProgress);

describe("collectWindow", () => {
  it("collects every completed run at concurrency 4, then skips them all (0 downloads) on a second pass", async () => {
    const runs = completedRuns(10, { newest: "2025-11-21T10:00:00Z", everyMinutes: 60 });
    const running = { id: 1, createdAt: "2025-11-21T11:00:00Z", status: "in_progress" as const };
    const gh = await start({
      runs: [...runs, running],
      artifacts: [...runs.flatMap((r) => runArtifacts(r.id)), ...runArtifacts(1)],
      latencyMs: 20,
    });
    const active = new Map<string, number>();
    let peak = 0;
    // A run downloads from its first artifact's "queued" until its artifacts are compared.
    const onProgress = (p: CollectProgress) => {
      if (p.phase === "queued") active.set(p.runId, 1);
      if (p.phase === "comparing") active.delete(p.runId);
      peak = Math.max(peak, active.size);
    };

    const first = await collectWindow({ windowDays: 7, asOf: AS_OF }, deps(onProgress));

    expect(first).toMatchObject({ collected: 10, skipped: 0, failed: 0, concurrency: 4, exitCode: 0 });
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(4);
    const recorded = await readRunsSummary(bed.setup?.paths.runsSummary ?? "");
    expect(recorded.map((r) => r.run_id).sort()).toEqual(runs.map((r) => String(r.id)).sort());
    expect(recorded.filter((r) => r.status === "failure")).toHaveLength(1);
    expect((await readManifest(bed.setup?.paths.manifest ?? "")).entries).toHaveLength(20);
    const index = await fs.readFile(bed.setup?.paths.evidenceIndex ?? "", "utf8");
    expect(
      index.split("\n").filter((l) => l.startsWith("| artifact |") || l.startsWith("| provenance |")),
    ).toHaveLength(20);
    const downloads = gh.state.count("storage");
    expect(downloads).toBe(20);

    const second = await collectWindow({ windowDays: 7, asOf: AS_OF }, deps());
    expect(second).toMatchObject({ collected: 0, skipped: 10, failed: 0, exitCode: 0 });
    expect(gh.state.count("storage")).toBe(downloads);
    expect(gh.state.count("downloadArtifact")).toBe(20);
  });

  it("goes on past a run that fails, and exits with the worst run's code (78 over 75)", async () => {
    const runs = completedRuns(3, { newest: "2025-11-21T10:00:00Z", everyMinutes: 60, firstId: 500 });
    const artifacts = runs.flatMap((r) =>
      runArtifacts(r.id).map((a) => (r.id === 501 && a.name === "provenance" ? { ...a, expired: true } : a)),
    );
    // Runs go newest first, one at a time: 502's listing meets 4 × 503 and exhausts its retries.
    await start({
      runs,
      artifacts,
      faults: { listArtifacts: Array.from({ length: 4 }, () => ({ status: 503 })) },
    });

    const result = await collectWindow({ windowDays: 7, asOf: AS_OF, concurrency: 1 }, deps());

    expect(result.runs.map((r) => [r.runId, r.status, r.exitCode])).toEqual([
      ["502", "failed", EXIT.retryExhausted],
      ["501", "collected", EXIT.serviceRefused],
      ["500", "collected", EXIT.ok],
    ]);
    expect(result.runs[0]?.error).toMatch(/failed after 4 attempts \(last: HTTP 503\); retry_exhausted=true/);
    expect(result).toMatchObject({ collected: 2, failed: 1, exitCode: EXIT.serviceRefused });

    // The next pass collects what failed, tries the incomplete run again and skips the rest.
    const again = await collectWindow({ windowDays: 7, asOf: AS_OF, concurrency: 1 }, deps());
    expect(again.runs.map((r) => [r.runId, r.status, r.exitCode])).toEqual([
      ["502", "collected", EXIT.ok],
      ["501", "collected", EXIT.serviceRefused],
      ["500", "skipped", EXIT.ok],
    ]);
  });
});
