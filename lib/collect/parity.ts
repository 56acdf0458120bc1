import { hashFile } from "../evidence/digest";
import type { CollectedFile, FoundProvenance } from "./find-provenance";

/**
 * SHA parity of a run's artifacts against its provenance (DESIGN §4), from the digests taken
 * while extracting: no file is read again, except for SHA-512 when the provenance carries only
 * SHA-512 subjects and the files were not hashed with it (then once more, for that reason only).
 */
export interface ParityMatch {
  shaParity: boolean;
  provSha: string;
  computedSha: string;
  digestAlg: "sha256" | "sha512";
  subject: string;
  artifact: CollectedFile;
  provenance: FoundProvenance;
}

const basename = (name: string) => name.split("/").at(-1) ?? name;

async function digestOf(file: CollectedFile, alg: "sha256" | "sha512", signal?: AbortSignal) {
  if (alg === "sha256") return file.sha256;
  file.sha512 ??= (await hashFile(file.absPath, { algorithms: ["sha512"], signal })).sha512;
  return file.sha512 ?? "";
}

/**
 * Parity is true when some artifact file's digest equals some subject's digest (the subject may
 * be the second of three; names rarely agree). Without a match, the file named like a subject
 * (else the first file) and that subject (else the first) are reported, as sha-compare does.
 */
export async function compareWithProvenance(
  artifacts: readonly CollectedFile[],
  provenances: readonly FoundProvenance[],
  signal?: AbortSignal,
): Promise<ParityMatch | null> {
  const first = artifacts[0];
  const firstProvenance = provenances[0];
  if (!first || !firstProvenance) return null;
  for (const provenance of provenances) {
    const alg = provenance.subjects.some((s) => s.digests.sha256) ? "sha256" : "sha512";
    for (const artifact of artifacts) {
      const digest = await digestOf(artifact, alg, signal);
      const subject = provenance.subjects.find((s) => s.digests[alg] === digest);
      if (subject) {
        return {
          shaParity: true,
          provSha: digest,
          computedSha: digest,
          digestAlg: alg,
          subject: subject.name,
          artifact,
          provenance,
        };
      }
    }
  }
  const alg = firstProvenance.subjects.some((s) => s.digests.sha256) ? "sha256" : "sha512";
  const candidates = firstProvenance.subjects.filter((s) => s.digests[alg]);
  const named = artifacts.find((a) => candidates.some((s) => basename(s.name) === basename(a.relPath)));
  const artifact = named ?? first;
  const subject = candidates.find((s) => basename(s.name) === basename(artifact.relPath)) ?? candidates[0];
  return {
    shaParity: false,
    provSha: subject?.digests[alg] ?? "",
    computedSha: await digestOf(artifact, alg, signal),
    digestAlg: alg,
    subject: subject?.name ?? "",
    artifact,
    provenance: firstProvenance,
  };
}
