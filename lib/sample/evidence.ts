import { createHash } from "node:crypto";
import type { Prng } from "./prng";

/**
 * Deterministic artifact bytes and provenance documents in the formats DESIGN §4 reads: bare
 * in-toto Statements (v0.1 and v1), DSSE envelopes and Sigstore bundles (v0.3). Predicates carry
 * unrelated digests on purpose: only subject[] may decide parity.
 */

export const PROVENANCE_KINDS = [
  "statement-v0.1",
  "statement-v1",
  "dsse-envelope",
  "sigstore-bundle-v0.3",
] as const;
export type ProvenanceKind = (typeof PROVENANCE_KINDS)[number];

export interface Subject {
  name: string;
  sha256: string;
}

export const sha256Hex = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

const REPOSITORY = "example-org/release-audit";
const CHECKS = [
  "secrets",
  "retry-guard",
  "collect",
  "sha-parity",
  "manifest",
  "observer",
  "upsert",
  "notify",
];

/** A small JSON report (a few hundred bytes to a few KB). */
export function buildArtifact(rng: Prng, runId: string, startedAt: string, status: string): Buffer {
  const checks = Array.from({ length: rng.int(2, 40) }, (_, i) => ({
    step: i + 1,
    check: rng.pick(CHECKS),
    outcome: status === "success" || rng.chance(0.8) ? "pass" : "fail",
    elapsed_ms: rng.int(3, 9_000),
    sample: rng.hex(16),
  }));
  const report = { run_id: runId, started_at_utc: startedAt, status, repository: REPOSITORY, checks };
  return Buffer.from(`${JSON.stringify(report, null, 2)}\n`);
}

function statement(kind: "v0.1" | "v1", rng: Prng, subjects: Subject[], uppercase: boolean, run: RunContext) {
  const subject = subjects.map((s) => ({
    name: s.name,
    digest: { sha256: uppercase ? s.sha256.toUpperCase() : s.sha256 },
  }));
  if (kind === "v0.1") {
    return {
      _type: "https://in-toto.io/Statement/v0.1",
      predicateType: "https://slsa.dev/provenance/v0.2",
      subject,
      predicate: {
        builder: {
          id: `https://github.com/${REPOSITORY}/.github/workflows/phase4-auto-audit.yml@refs/heads/main`,
        },
        buildType: "https://github.com/slsa-framework/slsa-github-generator/generic@v1",
        invocation: {
          configSource: {
            uri: `git+https://github.com/${REPOSITORY}@refs/heads/main`,
            digest: { sha1: run.headSha },
            entryPoint: ".github/workflows/phase4-auto-audit.yml",
          },
        },
        materials: [
          { uri: `git+https://github.com/${REPOSITORY}@refs/heads/main`, digest: { sha1: run.headSha } },
        ],
      },
    };
  }
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject,
    predicateType: "https://slsa.dev/provenance/v1",
    predicate: {
      buildDefinition: {
        buildType: "https://actions.github.io/buildtypes/workflow/v1",
        externalParameters: {
          workflow: {
            ref: "refs/heads/main",
            repository: `https://github.com/${REPOSITORY}`,
            path: ".github/workflows/phase4-auto-audit.yml",
          },
        },
        resolvedDependencies: [
          { uri: `git+https://github.com/${REPOSITORY}@refs/heads/main`, digest: { gitCommit: run.headSha } },
          // A builder image digest: a sha256 that is not the artifact's.
          { uri: "pkg:docker/ghcr.io/actions/runner@2.320.0", digest: { sha256: rng.hex(64) } },
        ],
      },
      runDetails: {
        builder: { id: "https://github.com/actions/runner/github-hosted" },
        metadata: {
          invocationId: `${run.runId}/attempts/1`,
          startedOn: run.startedAt,
          finishedOn: run.completedAt,
        },
      },
    },
  };
}

export interface RunContext {
  runId: string;
  headSha: string;
  startedAt: string;
  completedAt: string;
}

const PAYLOAD_TYPE = "application/vnd.in-toto+json";

function envelope(rng: Prng, payload: unknown) {
  return {
    payloadType: PAYLOAD_TYPE,
    payload: Buffer.from(JSON.stringify(payload)).toString("base64"),
    signatures: [{ keyid: "", sig: rng.bytes(70).toString("base64") }],
  };
}

/** The provenance text and the file name it is stored under (names deliberately mislead, as in the wild). */
export function buildProvenance(
  rng: Prng,
  kind: ProvenanceKind,
  subjects: Subject[],
  options: { artifactName: string; uppercase: boolean; run: RunContext; alternateName: boolean },
): { fileName: string; text: string } {
  const { artifactName, uppercase, run } = options;
  const v1 = statement("v1", rng, subjects, uppercase, run);
  switch (kind) {
    case "statement-v0.1":
      return {
        fileName: `${artifactName}.intoto.json`,
        text: `${JSON.stringify(statement("v0.1", rng, subjects, uppercase, run), null, 2)}\n`,
      };
    case "statement-v1":
      return { fileName: `${artifactName}.provenance.json`, text: `${JSON.stringify(v1, null, 2)}\n` };
    case "dsse-envelope": {
      const payload = options.alternateName ? statement("v0.1", rng, subjects, uppercase, run) : v1;
      return {
        fileName: `${artifactName}.intoto.jsonl`,
        text: `${JSON.stringify(envelope(rng, payload))}\n`,
      };
    }
    case "sigstore-bundle-v0.3": {
      const bundle = {
        mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
        verificationMaterial: {
          certificate: { rawBytes: rng.bytes(180).toString("base64") },
          tlogEntries: [
            {
              logIndex: String(rng.int(100_000_000, 199_999_999)),
              logId: { keyId: rng.bytes(32).toString("base64") },
              kindVersion: { kind: "dsse", version: "0.0.1" },
              integratedTime: String(Math.floor(Date.parse(run.completedAt) / 1000)),
            },
          ],
        },
        dsseEnvelope: envelope(rng, v1),
      };
      // A Sigstore bundle is often named .intoto.jsonl: the reader must go by content.
      const fileName = options.alternateName
        ? `${artifactName}.intoto.jsonl`
        : `${artifactName}.sigstore.json`;
      return { fileName, text: `${JSON.stringify(bundle)}\n` };
    }
  }
}
