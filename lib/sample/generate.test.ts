import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "../evidence/manifest";
import { parseProvenance } from "../evidence/provenance";
import { runRecordSchema, type RunRecord } from "../evidence/run-record";
import { readRunsSummary } from "../evidence/runs-summary";
import { compareArtifactWithProvenance } from "../evidence/sha-parity";
import { generateSampleEvent, type SampleStats } from "./generate";

const EVENT = "2025-11-14";
let base: string;
let rootA: string;
let dirA: string;
let stats: SampleStats;
let runs: RunRecord[];

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory()
        ? listFiles(dir, path.join(prefix, e.name)).then((f) =>
            f.length > 0 ? f : [`${path.join(prefix, e.name)}/`],
          )
        : [path.join(prefix, e.name)],
    ),
  );
  return nested.flat().sort();
}

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), "sample-"));
  rootA = path.join(base, "a");
  dirA = path.join(rootA, "docs/reports", EVENT);
  stats = await generateSampleEvent({ dir: dirA, root: rootA, event: EVENT });
  runs = await readRunsSummary(path.join(dirA, "RUNS_SUMMARY.json"));
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

describe("generateSampleEvent", () => {
  it("writes byte-identical folders for the same seed, and different data for another seed", async () => {
    const rootB = path.join(base, "b");
    const dirB = path.join(rootB, "docs/reports", EVENT);
    await generateSampleEvent({ dir: dirB, root: rootB, event: EVENT });
    const files = await listFiles(dirA);
    expect(await listFiles(dirB)).toEqual(files);
    for (const file of files.filter((f) => !f.endsWith("/"))) {
      expect(
        (await fs.readFile(path.join(dirB, file))).equals(await fs.readFile(path.join(dirA, file))),
        file,
      ).toBe(true);
    }
    const rootC = path.join(base, "c");
    const dirC = path.join(rootC, "docs/reports", EVENT);
    await generateSampleEvent({ dir: dirC, root: rootC, event: EVENT, seed: 7 });
    const other = await fs.readFile(path.join(dirC, "RUNS_SUMMARY.json"), "utf8");
    expect(other).not.toBe(await fs.readFile(path.join(dirA, "RUNS_SUMMARY.json"), "utf8"));
  });

  it("holds 200 valid runs over 7 days from the event date, of every trigger and status", () => {
    expect(runs).toHaveLength(200);
    expect(stats.runs).toBe(200);
    for (const run of runs) expect(runRecordSchema.safeParse(run).success, run.run_id).toBe(true);
    const first = Date.parse(runs[0]?.run_started_at_utc ?? "");
    const last = Math.max(...runs.map((r) => Date.parse(r.run_started_at_utc)));
    expect(first).toBeGreaterThanOrEqual(Date.parse("2025-11-14T00:00:00Z"));
    expect(last - first).toBeGreaterThan(6 * 86_400_000);
    expect(last - first).toBeLessThanOrEqual(7 * 86_400_000);
    const manual = runs.filter((r) => r.trigger_mode === "manual_dispatch");
    expect(manual.length).toBeGreaterThanOrEqual(25);
    expect(manual.length).toBeLessThanOrEqual(35);
    expect(manual.every((r) => r.source === "manual")).toBe(true);
    expect(new Set(runs.map((r) => r.trigger_mode))).toEqual(
      new Set(["manual_dispatch", "scheduled", "retry"]),
    );
    expect(new Set(runs.map((r) => r.status))).toEqual(new Set(["success", "failure", "cancelled"]));
    expect(
      runs.filter((r) => !r.sha_parity).every((r) => r.observer_notes.includes("sha_parity=false")),
    ).toBe(true);
    expect(runs.filter((r) => !r.sha_parity).length).toBeGreaterThan(0);
  });

  it("chains retries to their origin, with exactly one exhausted retry and some healed runs", () => {
    const byId = new Map(runs.map((r) => [r.run_id, r]));
    const retries = runs.filter((r) => r.trigger_mode === "retry");
    expect(retries.length).toBeGreaterThan(10);
    for (const retry of retries) {
      expect(retry.retries).toBeGreaterThanOrEqual(1);
      expect(retry.retries).toBeLessThanOrEqual(3);
      const origin = byId.get(retry.retry_origin ?? "");
      expect(origin?.status).toBe("failure");
      expect(Date.parse(retry.run_started_at_utc)).toBeGreaterThan(
        Date.parse(origin?.run_completed_at_utc ?? ""),
      );
    }
    const exhausted = runs.filter((r) => r.retry_exhausted);
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]).toMatchObject({ retries: 3, status: "failure", trigger_mode: "retry" });
    const healed = retries.filter((r) => r.status === "success");
    expect(healed.length).toBeGreaterThan(3);
    expect(runs.filter((r) => r.retry_origin === null).every((r) => r.retries === 0)).toBe(true);
  });

  it("records the parity an honest comparison of each run's files gives", async () => {
    const manifest = await readManifest(path.join(dirA, "_manifest.json"));
    const pathOf = (runId: string, type: string) =>
      manifest.entries.find((e) => e.run_id === runId && e.evidence_type === type)?.artifact_path ?? "";
    for (const run of runs) {
      const result = await compareArtifactWithProvenance({
        artifactPath: path.join(rootA, pathOf(run.run_id, "artifact")),
        provenancePath: path.join(rootA, pathOf(run.run_id, "provenance")),
      });
      expect({
        id: run.run_id,
        parity: result.sha_parity,
        prov: result.metadata_sha,
        computed: result.computed_sha,
      }).toEqual({
        id: run.run_id,
        parity: run.sha_parity,
        prov: run.prov_sha,
        computed: run.computed_sha,
      });
    }
    // Failures fall back to the subject named like the artifact, once as the 2nd of 3 subjects.
    const failing = runs.filter((r) => !r.sha_parity);
    const subjectCounts = await Promise.all(
      failing.map(async (run) => {
        const provenancePath = path.join(rootA, pathOf(run.run_id, "provenance"));
        const artifactPath = path.join(rootA, pathOf(run.run_id, "artifact"));
        const result = await compareArtifactWithProvenance({ artifactPath, provenancePath });
        expect(result.subject).toBe(path.basename(artifactPath));
        return parseProvenance(await fs.readFile(provenancePath, "utf8"), provenancePath).subjects.length;
      }),
    );
    expect(subjectCounts).toContain(3);
    const formats = new Set<string>();
    for (const run of runs.slice(0, 12)) {
      const result = await compareArtifactWithProvenance({
        artifactPath: path.join(rootA, pathOf(run.run_id, "artifact")),
        provenancePath: path.join(rootA, pathOf(run.run_id, "provenance")),
      });
      formats.add(result.format);
    }
    expect(formats).toEqual(new Set(["in-toto-statement", "dsse-envelope", "sigstore-bundle"]));
  });

  it("keeps the manifest and the evidence index in step, with repository-relative paths", async () => {
    const manifest = await readManifest(path.join(dirA, "_manifest.json"));
    expect(manifest.entries).toHaveLength(400);
    for (const entry of manifest.entries) {
      expect(entry.artifact_path.startsWith(`docs/reports/${EVENT}/artifacts/${entry.run_id}/raw/`)).toBe(
        true,
      );
      await expect(fs.stat(path.join(rootA, entry.artifact_path))).resolves.toBeTruthy();
    }
    const index = await fs.readFile(path.join(dirA, "_evidence_index.md"), "utf8");
    expect(index).toContain("| Type | Location | Retrieved At (UTC) | Retrieved By | Notes |");
    const rows = index.split("\n").filter((l) => /^\| (artifact|provenance) \|/.test(l));
    expect(rows.map((r) => r.split(" | ")[1])).toEqual(manifest.entries.map((e) => `\`${e.artifact_path}\``));
    expect((await fs.readdir(path.join(dirA, "slack_excerpts"))).length).toBe(0);
    const template = JSON.parse(await fs.readFile(path.join(dirA, "_manifest.json.template"), "utf8")) as {
      entries: unknown[];
    };
    expect(template.entries).toHaveLength(1);
  });

  it("writes the template only when it is missing", async () => {
    const root = path.join(base, "t");
    const dir = path.join(root, "docs/reports", EVENT);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, "_manifest.json.template"), "committed\n");
    await generateSampleEvent({ dir, root, event: EVENT, runs: 20 });
    expect(await fs.readFile(path.join(dir, "_manifest.json.template"), "utf8")).toBe("committed\n");
    expect(await readRunsSummary(path.join(dir, "RUNS_SUMMARY.json"))).toHaveLength(20);
  });

  it("refuses an event folder outside the repository root", async () => {
    await expect(
      generateSampleEvent({ dir: path.join(base, "outside"), root: path.join(base, "root"), event: EVENT }),
    ).rejects.toThrow(/inside the repository root/);
  });
});
