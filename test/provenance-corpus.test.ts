import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareArtifactWithProvenance } from "../lib/evidence/sha-parity";

/** The real public samples (slsa-verifier testdata) and their expected values: see its README. */
const CORPUS = fileURLToPath(new URL("./fixtures/provenance-real/", import.meta.url));

interface CorpusCase {
  case: string;
  artifact: string;
  provenance: string;
  format: "intoto-jsonl" | "sigstore-bundle" | "build-slsa" | "statement" | "other";
  expected_sha256: string;
  expected_sha512?: string;
  expected_parity: boolean;
  subject_name: string | null;
  subject_sha256: string[];
  artifact_bytes: number;
  digest_alg: "sha256" | "sha512";
}

const cases = JSON.parse(await readFile(path.join(CORPUS, "MANIFEST.json"), "utf8")) as CorpusCase[];

// The corpus groups files by how they look; the parser names what the content is.
const FORMAT = {
  "intoto-jsonl": "dsse-envelope",
  "sigstore-bundle": "sigstore-bundle",
  "build-slsa": "sigstore-bundle",
  statement: "in-toto-statement",
  other: "npm-attestations",
} as const;

describe("the provenance-real corpus", () => {
  it("holds the 12 cases of its README", () => {
    expect(cases).toHaveLength(12);
  });

  it.each(cases.map((c) => [c.case, c] as const))("%s", async (_name, c) => {
    const result = await compareArtifactWithProvenance({
      artifactPath: path.join(CORPUS, c.artifact),
      provenancePath: path.join(CORPUS, c.provenance),
      runId: c.case,
    });
    const expectedDigest = c.digest_alg === "sha512" ? c.expected_sha512 : c.expected_sha256;
    expect(result.digest_alg).toBe(c.digest_alg);
    expect(result.computed_sha).toBe(expectedDigest);
    expect(result.sha_parity).toBe(c.expected_parity);
    expect(result.format).toBe(FORMAT[c.format]);
    expect(result.artifact_bytes).toBe(c.artifact_bytes);
    if (c.expected_parity) {
      expect(result.subject).toBe(c.subject_name);
      expect(result.metadata_sha).toBe(expectedDigest);
    } else {
      // No match: metadata_sha is a real subject's digest, shown for the reviewer to compare.
      expect(c.subject_sha256).toContain(result.metadata_sha);
      expect(result.metadata_sha).not.toBe(result.computed_sha);
    }
  });
});

describe("synthesized provenance beside a real artifact", () => {
  const artifact = path.join(CORPUS, "sigstore-bundle/bcr/rules_lint-v1.3.1.tar.gz");
  const SHA = "1636f443b01c9ee310ee5834956d0dce374c3d3bf8d4cebc9f6b86f8304b4982";
  const OTHER = createHash("sha256").update("other").digest("hex");
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "auditloop-corpus-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const statement = (subject: unknown[], predicate: unknown = {}) => ({
    _type: "https://in-toto.io/Statement/v1",
    subject,
    predicateType: "https://slsa.dev/provenance/v1",
    predicate,
  });
  const envelope = (payload: unknown) => ({
    payloadType: "application/vnd.in-toto+json",
    payload: Buffer.from(JSON.stringify(payload)).toString("base64"),
    signatures: [],
  });
  async function compareWith(name: string, text: string) {
    const provenancePath = path.join(dir, name);
    await writeFile(provenancePath, text);
    return compareArtifactWithProvenance({ artifactPath: artifact, provenancePath });
  }

  it("matches a legacy metadata.content_sha256", async () => {
    const text = JSON.stringify({ metadata: { name: "rules_lint.tgz", content_sha256: SHA } });
    expect(await compareWith("legacy.json", text)).toMatchObject({
      sha_parity: true,
      format: "legacy-metadata",
    });
  });

  it("matches the second envelope of a JSON lines file", async () => {
    const lines = [
      envelope(statement([{ name: "a", digest: { sha256: OTHER } }])),
      envelope(statement([{ name: "b", digest: { sha256: SHA } }])),
    ];
    const text = lines.map((l) => JSON.stringify(l)).join("\n");
    expect(await compareWith("two.intoto.jsonl", text)).toMatchObject({
      sha_parity: true,
      format: "json-lines",
      subject: "b",
    });
  });

  it("matches a digest written in uppercase hex", async () => {
    const text = JSON.stringify(statement([{ name: "a", digest: { sha256: SHA.toUpperCase() } }]));
    expect(await compareWith("upper.json", text)).toMatchObject({ sha_parity: true, metadata_sha: SHA });
  });

  it("does not take a predicate's sha256 for a subject's", async () => {
    const predicate = { builder: { digest: { sha256: SHA } }, materials: [{ digest: { sha256: SHA } }] };
    const text = JSON.stringify(envelope(statement([{ name: "a", digest: { sha256: OTHER } }], predicate)));
    expect(await compareWith("predicate.json", text)).toMatchObject({
      sha_parity: false,
      metadata_sha: OTHER,
    });
  });

  it("refuses garbage naming the file and the formats tried", async () => {
    await expect(compareWith("garbage.intoto.jsonl", "\u0089PNG not provenance")).rejects.toThrow(
      /garbage\.intoto\.jsonl: not JSON .*formats tried: in-toto Statement/,
    );
  });

  it("refuses a missing provenance file naming it", async () => {
    const missing = path.join(dir, "absent.intoto.jsonl");
    await expect(
      compareArtifactWithProvenance({ artifactPath: artifact, provenancePath: missing }),
    ).rejects.toThrow(`Cannot read the provenance file ${missing}`);
  });
});
