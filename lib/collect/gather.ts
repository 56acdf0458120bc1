import path from "node:path";
import type { Artifact } from "../github";
import { fetchArtifact, type FetchContext, type FetchedArtifact } from "./fetch-artifact";
import { findProvenance, type CollectedFile, type FoundProvenance } from "./find-provenance";
import { compareWithProvenance, type ParityMatch } from "./parity";

/**
 * A run's selected artifacts fetched into one workspace folder (one after another: the window
 * collection is what runs in parallel), then the provenance found among the extracted files and
 * the parity computed from the digests taken while extracting.
 */
export interface Gathered {
  fetched: FetchedArtifact[];
  provenances: FoundProvenance[];
  /** The extracted files that are not provenance: the artifacts whose digests are compared. */
  dataFiles: CollectedFile[];
  match: ParityMatch | null;
  /** Why parity is false (or cannot be computed); null when it is true. */
  reason: string | null;
}

export interface GatherHooks {
  /** Each artifact as it is fetched (or refused). */
  onFetched?: (fetched: FetchedArtifact) => void;
  /** Once every artifact is in, before the provenance is read and the digests compared. */
  beforeCompare?: (fetched: readonly FetchedArtifact[]) => Promise<void>;
}

export async function gatherArtifacts(
  ctx: FetchContext,
  artifacts: readonly Artifact[],
  metadataPattern: string,
  hooks: GatherHooks = {},
): Promise<Gathered> {
  const fetched: FetchedArtifact[] = [];
  for (const artifact of artifacts) {
    ctx.signal.throwIfAborted();
    const one = await fetchArtifact(ctx, artifact);
    fetched.push(one);
    hooks.onFetched?.(one);
  }
  await hooks.beforeCompare?.(fetched);
  const files = fetched
    .flatMap((f) => f.files)
    .sort((a, b) =>
      a.artifact === b.artifact ? a.relPath.localeCompare(b.relPath) : a.artifact.localeCompare(b.artifact),
    );
  const provenances = await findProvenance(files, metadataPattern, ctx.signal);
  const provenanceFiles = new Set(provenances.map((p) => p.file));
  const dataFiles = files.filter((f) => !provenanceFiles.has(f));
  const match = await compareWithProvenance(dataFiles, provenances, ctx.signal);
  return {
    fetched,
    provenances,
    dataFiles,
    match,
    reason: explain(files, provenances, dataFiles, match, metadataPattern),
  };
}

function explain(
  files: readonly CollectedFile[],
  provenances: readonly FoundProvenance[],
  dataFiles: readonly CollectedFile[],
  match: ParityMatch | null,
  pattern: string,
): string | null {
  if (match?.shaParity) return null;
  if (files.length === 0) return "no artifact file was collected";
  if (provenances.length === 0) {
    return `no provenance among ${files.length} file(s) (no name matches ${pattern}, and no file reads as provenance)`;
  }
  if (dataFiles.length === 0) return "the artifacts hold only provenance, no file to compare";
  const where = match
    ? `${match.provenance.file.artifact}/${path.posix.basename(match.provenance.file.relPath)}`
    : "";
  return `the ${match?.digestAlg ?? "sha256"} of no artifact file matches a subject of ${where}`;
}
