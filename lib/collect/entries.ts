import path from "node:path";
import { toRepoRelative, type EventPaths } from "../config/paths";
import type { ManifestEntry } from "../evidence/manifest-entry";
import { PROVENANCE_FORMATS } from "../evidence/provenance";
import { TOKEN_PATTERNS, URL_PATTERN } from "../notify/patterns";
import type { CollectedFile } from "./find-provenance";
import type { Gathered } from "./gather";
import type { ParityOutcome } from "./types";

/**
 * Where a run's artifacts land (artifacts/<run_id>/raw/<artifact name>/…) and the manifest entries
 * and parity outcome that name them, relative to the repository root as the manifest wants.
 */
export function artifactFolder(paths: EventPaths, recordRunId: string, artifact: string): string {
  return path.join(paths.artifacts, recordRunId, "raw", artifact);
}

export function recordedPath(paths: EventPaths, recordRunId: string, file: CollectedFile): string {
  const absolute = path.join(artifactFolder(paths, recordRunId, file.artifact), ...file.relPath.split("/"));
  return toRepoRelative(absolute, paths.root);
}

export function toParityOutcome(
  paths: EventPaths,
  recordRunId: string,
  gathered: Gathered,
): ParityOutcome | null {
  const { match } = gathered;
  if (!match) return null;
  return {
    shaParity: match.shaParity,
    provSha: match.provSha,
    computedSha: match.computedSha,
    digestAlg: match.digestAlg,
    subject: match.subject,
    artifactPath: recordedPath(paths, recordRunId, match.artifact),
    provenancePath: recordedPath(paths, recordRunId, match.provenance.file),
    format: match.provenance.format,
    reason: gathered.reason,
  };
}

/** Notes stay under 200 characters, without URLs or token shapes (the manifest refuses them). */
function note(text: string): string {
  let clean = text.replace(URL_PATTERN, "(url)");
  for (const pattern of TOKEN_PATTERNS) clean = clean.replace(pattern, "(masked)");
  return clean.length <= 200 ? clean : `${clean.slice(0, 199)}…`;
}

export function buildManifestEntries(
  paths: EventPaths,
  recordRunId: string,
  gathered: Gathered,
  recordedAt: string,
): ManifestEntry[] {
  const { match } = gathered;
  const artifact = match?.artifact ?? gathered.dataFiles[0];
  if (!artifact) return [];
  const parity = match ? match.shaParity : "unknown";
  const entries: ManifestEntry[] = [
    {
      run_id: recordRunId,
      artifact_path: recordedPath(paths, recordRunId, artifact),
      evidence_type: "artifact",
      recorded_at_utc: recordedAt,
      sha_parity: parity,
      notes: note(
        `artifact ${artifact.artifact}: ${artifact.relPath}, ${artifact.size} bytes; zip digest checked; ` +
          (match ? `sha_parity=${match.shaParity}` : "no provenance found"),
      ),
    },
  ];
  if (match) {
    entries.push({
      run_id: recordRunId,
      artifact_path: recordedPath(paths, recordRunId, match.provenance.file),
      evidence_type: "provenance",
      recorded_at_utc: recordedAt,
      sha_parity: parity,
      notes: note(
        `${PROVENANCE_FORMATS[match.provenance.format]}, found by ${match.provenance.detectedBy}; ` +
          `subject ${match.subject}; digest_alg=${match.digestAlg}; sha_parity=${match.shaParity}`,
      ),
    });
  }
  return entries;
}
