import { promises as fs } from "node:fs";
import path from "node:path";
import { toRepoRelative } from "../config/paths";
import { InputError } from "../errors";
import { withFileLock, writeFileAtomic } from "../evidence/atomic-file";
import { parseJsonStrict } from "../evidence/json-strict";
import { createManifestTemplate, serializeManifest } from "../evidence/manifest";
import { manifestSchema, type Manifest } from "../evidence/manifest-entry";
import { writeRunsSummary } from "../evidence/runs-summary";
import { buildSampleEvent } from "./build";
import { renderEvidenceIndex } from "../evidence/evidence-index";
import { DEFAULT_SEED } from "./prng";

export interface GenerateSampleOptions {
  /** The event folder (absolute). */
  dir: string;
  /** The repository root: manifest paths are relative to it. */
  root: string;
  event: string;
  runs?: number;
  seed?: number;
}

export interface SampleStats {
  dir: string;
  runs: number;
  byStatus: Record<string, number>;
  byTrigger: Record<string, number>;
  parityFailures: number;
  retriesExhausted: number;
  evidenceFiles: number;
  bytes: number;
  firstStartUtc: string | null;
  lastCompletionUtc: string | null;
}

export const DEFAULT_SAMPLE_RUNS = 200;
const WRITE_BATCH = 64;

const count = (values: string[]) =>
  values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});

/**
 * Writes the deterministic sample event into `dir`: evidence files, RUNS_SUMMARY.json,
 * _manifest.json (+ template if missing), _evidence_index.md and an empty slack_excerpts/.
 * Same seed, same bytes: no clock is read for anything that lands in a file.
 */
export async function generateSampleEvent(options: GenerateSampleOptions): Promise<SampleStats> {
  const total = options.runs ?? DEFAULT_SAMPLE_RUNS;
  if (!Number.isInteger(total) || total < 1)
    throw new InputError(`runs: expected an integer ≥ 1, got ${total}`);
  const { dir, root } = options;
  const { runs, files, entries } = buildSampleEvent({ runs: total, seed: options.seed ?? DEFAULT_SEED });
  const folder = toRepoRelative(dir, root);
  if (folder.startsWith("..") || path.isAbsolute(folder)) {
    throw new InputError(`${dir}: the event folder must be inside the repository root ${root}`);
  }

  await fs.mkdir(path.join(dir, "slack_excerpts"), { recursive: true });
  const directories = [...new Set(files.map((f) => path.dirname(path.join(dir, f.path))))];
  await Promise.all(directories.map((d) => fs.mkdir(d, { recursive: true })));
  for (let i = 0; i < files.length; i += WRITE_BATCH) {
    await Promise.all(
      files.slice(i, i + WRITE_BATCH).map((f) => fs.writeFile(path.join(dir, f.path), f.content)),
    );
  }

  await writeRunsSummary(path.join(dir, "RUNS_SUMMARY.json"), runs);
  const manifestEntries = entries.map((e) => ({ ...e, artifact_path: `${folder}/${e.artifact_path}` }));
  const generatedAt = manifestEntries.reduce(
    (max, e) => (e.recorded_at_utc > max ? e.recorded_at_utc : max),
    "2025-11-14T00:00:00Z",
  );
  const manifest: Manifest = { generated_at_utc: generatedAt, entries: manifestEntries };
  const manifestFile = path.join(dir, "_manifest.json");
  await withFileLock(manifestFile, () =>
    writeFileAtomic(manifestFile, serializeManifest(manifest), {
      validate: (text) => {
        const result = manifestSchema.safeParse(parseJsonStrict(text, manifestFile));
        if (!result.success)
          throw new Error(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
      },
    }),
  );
  await fs
    .writeFile(path.join(dir, "_manifest.json.template"), serializeManifest(createManifestTemplate(folder)), {
      flag: "wx",
    })
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
  const index = renderEvidenceIndex(options.event, manifestEntries, "auditloop sample");
  await writeFileAtomic(path.join(dir, "_evidence_index.md"), index, { backup: false });

  return {
    dir,
    runs: runs.length,
    byStatus: count(runs.map((r) => r.status)),
    byTrigger: count(runs.map((r) => r.trigger_mode)),
    parityFailures: runs.filter((r) => !r.sha_parity).length,
    retriesExhausted: runs.filter((r) => r.retry_exhausted).length,
    evidenceFiles: files.length,
    bytes: files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0),
    firstStartUtc: runs[0]?.run_started_at_utc ?? null,
    lastCompletionUtc: runs.reduce<string | null>(
      (max, r) => (max === null || r.run_completed_at_utc > max ? r.run_completed_at_utc : max),
      null,
    ),
  };
}
