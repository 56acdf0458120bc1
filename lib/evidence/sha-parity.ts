import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors";
import { hashFile, type DigestAlgorithm } from "./digest";
import { parseProvenance, type ProvenanceFormat } from "./provenance";

/** Printed as run_id when the caller gives none. */
export const NO_RUN_ID = "-";

export interface ParityResult {
  run_id: string;
  /** The matched subject's digest; when none matches, the fallback subject's (see `subject`). */
  metadata_sha: string;
  computed_sha: string;
  sha_parity: boolean;
  digest_alg: DigestAlgorithm;
  /** The matched subject's name; when none matches, the one named like the artifact, else the first. */
  subject: string;
  format: ProvenanceFormat;
  artifact_bytes: number;
}

export interface CompareOptions {
  artifactPath: string;
  provenancePath: string;
  runId?: string;
  signal?: AbortSignal;
}

/**
 * SHA parity (DESIGN §4): hashes the artifact once and compares it with every subject of its
 * provenance. SHA-512 is computed only when no subject carries a SHA-256 (npm provenance).
 */
export async function compareArtifactWithProvenance(options: CompareOptions): Promise<ParityResult> {
  const { artifactPath, provenancePath, signal } = options;
  // A missing artifact is the commonest mistake: report it even when the provenance is also bad.
  await access(artifactPath, constants.R_OK).catch((error: unknown) => {
    throw unreadable("artifact", artifactPath, error);
  });
  const text = await readFile(provenancePath, { encoding: "utf8", signal }).catch((error: unknown) => {
    throw signal?.aborted ? error : unreadable("provenance", provenancePath, error);
  });
  const { format, subjects } = parseProvenance(text, provenancePath);
  const alg: DigestAlgorithm = subjects.some((s) => s.digests.sha256) ? "sha256" : "sha512";
  const digest = await hashFile(artifactPath, { algorithms: [alg], signal }).catch((error: unknown) => {
    throw signal?.aborted ? error : unreadable("artifact", artifactPath, error);
  });
  const computed = alg === "sha256" ? digest.sha256 : (digest.sha512 ?? "");
  const candidates = subjects.flatMap((s) => {
    const value = s.digests[alg];
    return value ? [{ name: s.name, digest: value }] : [];
  });
  const matched = candidates.find((c) => c.digest === computed);
  const shown = matched ?? candidates.find((c) => c.name === path.basename(artifactPath)) ?? candidates[0];
  // parseProvenance guarantees some subject digest, and alg was chosen from those present.
  if (!shown) throw new Error(`${provenancePath}: no subject carries a ${alg} digest`);
  return {
    run_id: options.runId ?? NO_RUN_ID,
    metadata_sha: shown.digest,
    computed_sha: computed,
    sha_parity: matched !== undefined,
    digest_alg: alg,
    subject: shown.name,
    format,
    artifact_bytes: digest.bytes,
  };
}

/** `run_id=… metadata_sha=… computed_sha=… sha_parity=… digest_alg=… subject=…` on one line. */
export function formatParityLine(result: ParityResult): string {
  const fields: [string, string][] = [
    ["run_id", result.run_id],
    ["metadata_sha", result.metadata_sha],
    ["computed_sha", result.computed_sha],
    ["sha_parity", String(result.sha_parity)],
    ["digest_alg", result.digest_alg],
    ["subject", result.subject],
  ];
  return fields.map(([key, value]) => `${key}=${quoteIfNeeded(value)}`).join(" ");
}

// Keeps the line splittable on spaces: an empty value or one with blanks or quotes is JSON-quoted.
function quoteIfNeeded(value: string): string {
  return /^[^\s"]+$/.test(value) ? value : JSON.stringify(value);
}

function unreadable(role: "artifact" | "provenance", file: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EISDIR"
        ? "is a directory"
        : code === "EACCES"
          ? "permission denied"
          : (error as Error).message;
  return new InputError(`Cannot read the ${role} file ${file}: ${reason}`, { cause: error });
}
