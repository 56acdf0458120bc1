import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRunRecord } from "../../test/support/run-record";
import { openTestDatabase } from "../../test/support/test-database";
import { getEventPaths } from "../config/paths";
import { parseSettings } from "../config/settings";
import { setKillSwitchState } from "../control/kill-switch";
import type { Database } from "../db";
import { KillSwitchEngagedError } from "../errors";
import { renderEvidenceIndex } from "../evidence/evidence-index";
import { readManifest, updateManifestEntry } from "../evidence/manifest";
import type { ManifestEntry } from "../evidence/manifest-entry";
import { runRecordSchema } from "../evidence/run-record";
import { listBackups } from "../evidence/atomic-file";
import { readRunsSummary } from "../evidence/runs-summary";
import { createEvidenceWriter, type RunEvidence } from "./evidence-writes";

let db: Database;
let root: string;
beforeAll(async () => {
  db = await openTestDatabase();
  root = await fs.mkdtemp(path.join(os.tmpdir(), "evidence-writes-"));
});
afterAll(async () => {
  await db.close();
  await fs.rm(root, { recursive: true, force: true });
});

const entry = (runId: string, type: ManifestEntry["evidence_type"], notes = ""): ManifestEntry => ({
  run_id: runId,
  artifact_path: `docs/reports/ev/artifacts/${runId}/raw/app/${type}.json`,
  evidence_type: type,
  recorded_at_utc: "2025-11-20T10:05:00Z",
  sha_parity: true,
  notes,
});

const evidence = (runId: string, notes = ""): RunEvidence => ({
  recordRunId: runId,
  buildRecord: (existing) =>
    runRecordSchema.parse({ ...makeRunRecord(runId), observer_notes: existing ? "replaced" : notes }),
  entries: [entry(runId, "artifact", notes), entry(runId, "provenance", notes)],
});

describe("the evidence writer", () => {
  it("commits runs submitted together in one write per file, each record and entry in place", async () => {
    const paths = getEventPaths(parseSettings({ AUDIT_EVENT: "group" }), root);
    // An entry written earlier by someone else keeps its row and its "Retrieved By".
    await updateManifestEntry(paths.manifest, entry("0", "log"));
    await fs.writeFile(paths.evidenceIndex, renderEvidenceIndex("group", [entry("0", "log")], "cli:someone"));
    const writer = createEvidenceWriter({
      paths,
      db,
      actor: "operator@example.test",
      signal: new AbortController().signal,
    });

    const records = await Promise.all(["1", "2", "3", "4"].map((id) => writer.submit(evidence(id))));

    expect(records.map((r) => r.run_id)).toEqual(["1", "2", "3", "4"]);
    expect((await readRunsSummary(paths.runsSummary)).map((r) => r.run_id)).toEqual(["1", "2", "3", "4"]);
    expect((await readManifest(paths.manifest)).entries).toHaveLength(9);
    // The first run went out alone, the three submitted meanwhile together: 2 writes, not 4.
    expect(await listBackups(paths.manifest)).toHaveLength(2);
    const index = await fs.readFile(paths.evidenceIndex, "utf8");
    expect(index).toContain(
      "| log | `docs/reports/ev/artifacts/0/raw/app/log.json` | 2025-11-20T10:05:00Z | cli:someone |",
    );
    expect(index.match(/\| operator@example\.test \|/g)).toHaveLength(8);

    await writer.submit(evidence("2", "again"));
    const two = (await readRunsSummary(paths.runsSummary)).filter((r) => r.run_id === "2");
    expect(two).toEqual([expect.objectContaining({ observer_notes: "replaced" })]);
    expect(
      (await readManifest(paths.manifest)).entries.filter((e) => e.run_id === "2").map((e) => e.notes),
    ).toEqual(["again", "again"]);
  });

  it("refuses the whole group while the kill switch is engaged, writing nothing", async () => {
    const paths = getEventPaths(parseSettings({ AUDIT_EVENT: "stopped" }), root);
    const commander = {
      id: "c",
      email: "commander@example.test",
      role: "commander" as const,
      via: "web" as const,
    };
    await setKillSwitchState(db, commander, "engaged", "test");
    const writer = createEvidenceWriter({
      paths,
      db,
      actor: "operator@example.test",
      signal: new AbortController().signal,
    });
    const outcomes = await Promise.allSettled([writer.submit(evidence("5")), writer.submit(evidence("6"))]);
    expect(outcomes.map((o) => (o.status === "rejected" ? o.reason : null))).toEqual([
      expect.any(KillSwitchEngagedError),
      expect.any(KillSwitchEngagedError),
    ]);
    await expect(fs.readdir(paths.dir)).resolves.not.toContain("RUNS_SUMMARY.json");
    await expect(fs.readdir(paths.dir)).resolves.not.toContain("_manifest.json");
    await setKillSwitchState(db, commander, "released", "test over");
  });
});
