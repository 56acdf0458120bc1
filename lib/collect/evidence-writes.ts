import { promises as fs } from "node:fs";
import type { EventPaths } from "../config/paths";
import { throwIfKillSwitchEngaged } from "../control/kill-switch";
import type { Queryable } from "../db";
import { withFileLock, writeFileAtomic } from "../evidence/atomic-file";
import { evidenceRowKey, readEvidenceIndexRetrievers, renderEvidenceIndex } from "../evidence/evidence-index";
import { readManifest, updateManifestEntries } from "../evidence/manifest";
import type { ManifestEntry } from "../evidence/manifest-entry";
import type { RunRecord } from "../evidence/run-record";
import { mergeRunRecords, updateRunsSummary } from "../evidence/runs-summary";

/**
 * A collected run's evidence, written the DESIGN §3 way: RUNS_SUMMARY.json and _manifest.json each
 * under their lock with the atomic write, then _evidence_index.md rendered from the manifest as it
 * now is. The kill switch is checked again under each lock, right before each write.
 *
 * Runs collected side by side share one writer that commits in groups: what was submitted while a
 * write was going on goes out together in the next one (one lock and one atomic write per file for
 * the group), so parallel collections do not queue behind each other's locks run by run.
 */
export interface RunEvidence {
  /** The run_id the record is filed under. */
  recordRunId: string;
  /** Builds the record from the one on file (read under the lock), so no concurrent change is lost. */
  buildRecord: (existing: RunRecord | undefined) => RunRecord;
  entries: readonly ManifestEntry[];
  /** Moves the run's extracted folders into the event folder: done under the summary's lock, after its kill switch check. */
  place?: () => Promise<void>;
}

export interface EvidenceWriter {
  /** Resolves with the record as written, once its group is on disk. */
  submit(evidence: RunEvidence): Promise<RunRecord>;
}

interface Pending {
  evidence: RunEvidence;
  resolve: (record: RunRecord) => void;
  reject: (error: unknown) => void;
}

export function createEvidenceWriter(options: {
  paths: EventPaths;
  db: Queryable;
  /** Named as "Retrieved By" on the rows written. */
  actor: string;
  signal: AbortSignal;
}): EvidenceWriter {
  const queue: Pending[] = [];
  let writing = false;
  const drain = async () => {
    writing = true;
    while (queue.length > 0) {
      const group = queue.splice(0);
      try {
        const records = await writeGroup(
          options,
          group.map((p) => p.evidence),
        );
        group.forEach((p, i) => p.resolve(records[i] as RunRecord));
      } catch (error) {
        for (const p of group) p.reject(error);
      }
    }
    writing = false;
  };
  return {
    submit: (evidence) =>
      new Promise<RunRecord>((resolve, reject) => {
        queue.push({ evidence, resolve, reject });
        if (!writing) void drain();
      }),
  };
}

async function writeGroup(
  options: { paths: EventPaths; db: Queryable; actor: string; signal: AbortSignal },
  group: readonly RunEvidence[],
): Promise<RunRecord[]> {
  const { paths, db, signal } = options;
  const guard = () => throwIfKillSwitchEngaged(db);
  const records: RunRecord[] = [];
  await updateRunsSummary(
    paths.runsSummary,
    async (runs) => {
      await guard();
      records.length = 0;
      for (const evidence of group) await evidence.place?.();
      let merged = runs;
      for (const evidence of group) {
        const record = evidence.buildRecord(merged.find((r) => r.run_id === evidence.recordRunId));
        records.push(record);
        merged = mergeRunRecords(merged, [record]);
      }
      return merged;
    },
    { signal },
  );
  const entries = group.flatMap((e) => e.entries);
  if (entries.length > 0)
    await updateManifestEntries(paths.manifest, entries, { signal, beforeWrite: guard });
  await writeEvidenceIndex(paths, entries, options.actor, { signal, guard });
  return records;
}

/**
 * Renders the index from the manifest under the index's own lock. Concurrent writers each render
 * after their manifest update, so the last one to take the lock writes the latest state; rows this
 * write did not touch keep who retrieved them.
 */
async function writeEvidenceIndex(
  paths: EventPaths,
  changed: readonly ManifestEntry[],
  actor: string,
  options: { signal: AbortSignal; guard: () => Promise<void> },
): Promise<void> {
  const mine = new Set(changed.map(evidenceRowKey));
  await withFileLock(
    paths.evidenceIndex,
    async () => {
      const manifest = await readManifest(paths.manifest, { signal: options.signal });
      const previous = await fs
        .readFile(paths.evidenceIndex, "utf8")
        .catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return "";
          throw error;
        });
      const retrievers = readEvidenceIndexRetrievers(previous);
      const text = renderEvidenceIndex(paths.event, manifest.entries, (entry) => {
        const key = evidenceRowKey(entry);
        return mine.has(key) ? actor : (retrievers.get(key) ?? "—");
      });
      options.signal.throwIfAborted();
      await options.guard();
      await writeFileAtomic(paths.evidenceIndex, text, { backup: false });
    },
    { signal: options.signal },
  );
}
