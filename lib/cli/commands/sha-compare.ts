import path from "node:path";
import { EXIT, InputError } from "../../errors";
import { compareArtifactWithProvenance, formatParityLine, NO_RUN_ID } from "../../evidence/sha-parity";
import { parseCommandArgs, writeResult, type Command } from "../command";

const USAGE = `Usage: scripts/phase4-sha-compare.sh <artifact> <provenance> [--run-id ID] [--json]

Computes the artifact's digest in one streaming pass and compares it with every subject[] digest
of its provenance. The provenance format is detected from the content, never the file name:
in-toto Statement, DSSE envelope, JSON lines of envelopes/bundles, Sigstore bundle (any version),
npm attestations wrapper, legacy metadata.content_sha256. Only subject[] is read.

Prints one line:
  run_id=<ID> metadata_sha=<hex> computed_sha=<hex> sha_parity=true|false digest_alg=sha256|sha512 subject=<name>
  - sha_parity is true when the artifact's digest equals SOME subject's digest (hex compared
    case-insensitively; the matching subject may be any of several).
  - subject / metadata_sha: the matching subject; when none matches, the subject named like the
    artifact's file, else the first subject.
  - digest_alg is sha512 only when no subject carries a sha256 (e.g. npm provenance).
  - run_id is "${NO_RUN_ID}" when --run-id is not given. A value that is empty or holds blanks or
    quotes is printed JSON-quoted.

Options:
  --run-id ID   The run the artifact belongs to (printed as run_id; 1-100 characters, no blanks)
  --json        Print one JSON object instead: { run_id, metadata_sha, computed_sha, sha_parity,
                digest_alg, subject, format, artifact_bytes }
  -h, --help    Show this help

Relative paths resolve against the current directory.

Exit codes:
  0  a comparison was made (whether or not the digests match: read sha_parity)
  1  bad usage, a file missing or unreadable, or no subject digest found in the provenance
     (the message names the file and the formats tried)

Example:
  scripts/phase4-sha-compare.sh artifacts/123/raw/app.tar.gz artifacts/123/raw/app.intoto.jsonl --run-id 123
  run_id=123 metadata_sha=1636f443… computed_sha=1636f443… sha_parity=true digest_alg=sha256 subject=app.tar.gz
`;

export const shaCompareCommand: Command = {
  name: "sha-compare",
  script: "scripts/phase4-sha-compare.sh",
  summary: "Compare an artifact's digest with its provenance's subjects",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, { "run-id": { type: "string" } });
    if (positionals.length !== 2) {
      throw new InputError(
        `expected 2 arguments, <artifact> <provenance>, got ${positionals.length} (see --help)`,
      );
    }
    const [artifact = "", provenance = ""] = positionals;
    const runId = values["run-id"];
    if (runId !== undefined && !/^\S{1,100}$/.test(runId)) {
      throw new InputError(
        `--run-id: expected 1-100 characters without blanks, got ${JSON.stringify(runId)}`,
      );
    }
    const result = await compareArtifactWithProvenance({
      artifactPath: path.resolve(artifact),
      provenancePath: path.resolve(provenance),
      runId,
      signal: ctx.signal,
    });
    writeResult(ctx, values.json, result, formatParityLine(result));
    return EXIT.ok;
  },
};
