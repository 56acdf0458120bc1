import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../errors";
import { compareArtifactWithProvenance, formatParityLine, type ParityResult } from "./sha-parity";

const CONTENT = "artifact bytes\n";
const SHA256 = createHash("sha256").update(CONTENT).digest("hex");
const SHA512 = createHash("sha512").update(CONTENT).digest("hex");
const OTHER = "0".repeat(64);

let dir: string;
let artifact: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "auditloop-parity-"));
  artifact = path.join(dir, "app.tar.gz");
  await writeFile(artifact, CONTENT);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function provenance(subject: unknown[]): Promise<string> {
  const file = path.join(dir, `prov-${counter++}.json`);
  const statement = {
    _type: "https://in-toto.io/Statement/v1",
    subject,
    predicate: { digest: { sha256: SHA256 } },
  };
  const payload = Buffer.from(JSON.stringify(statement)).toString("base64");
  await writeFile(
    file,
    JSON.stringify({ payloadType: "application/vnd.in-toto+json", payload, signatures: [] }),
  );
  return file;
}

describe("compareArtifactWithProvenance", () => {
  it("finds parity on the second of three subjects and names that subject", async () => {
    const prov = await provenance([
      { name: "one", digest: { sha256: OTHER } },
      { name: "two", digest: { sha256: SHA256 } },
      { name: "three", digest: { sha256: "1".repeat(64) } },
    ]);
    expect(
      await compareArtifactWithProvenance({ artifactPath: artifact, provenancePath: prov, runId: "42" }),
    ).toEqual({
      run_id: "42",
      metadata_sha: SHA256,
      computed_sha: SHA256,
      sha_parity: true,
      digest_alg: "sha256",
      subject: "two",
      format: "dsse-envelope",
      artifact_bytes: CONTENT.length,
    });
  });

  it("compares hex case-insensitively", async () => {
    const prov = await provenance([{ name: "x", digest: { sha256: SHA256.toUpperCase() } }]);
    const result = await compareArtifactWithProvenance({ artifactPath: artifact, provenancePath: prov });
    expect(result).toMatchObject({ sha_parity: true, metadata_sha: SHA256, run_id: "-" });
  });

  it("without a match shows the subject named like the artifact file, else the first", async () => {
    const named = await provenance([
      { name: "first", digest: { sha256: OTHER } },
      { name: "app.tar.gz", digest: { sha256: "2".repeat(64) } },
    ]);
    expect(
      await compareArtifactWithProvenance({ artifactPath: artifact, provenancePath: named }),
    ).toMatchObject({
      sha_parity: false,
      subject: "app.tar.gz",
      metadata_sha: "2".repeat(64),
      computed_sha: SHA256,
    });
    const unnamed = await provenance([
      { name: "first", digest: { sha256: OTHER } },
      { name: "second", digest: { sha256: "2".repeat(64) } },
    ]);
    expect(
      await compareArtifactWithProvenance({ artifactPath: artifact, provenancePath: unnamed }),
    ).toMatchObject({
      sha_parity: false,
      subject: "first",
      metadata_sha: OTHER,
    });
  });

  it("compares SHA-512 when no subject carries a sha256, and says so", async () => {
    const prov = await provenance([{ name: "pkg:npm/app@1.0.0", digest: { sha512: SHA512 } }]);
    expect(
      await compareArtifactWithProvenance({ artifactPath: artifact, provenancePath: prov }),
    ).toMatchObject({
      digest_alg: "sha512",
      sha_parity: true,
      metadata_sha: SHA512,
      computed_sha: SHA512,
    });
  });

  it("prefers sha256 when subjects carry both algorithms", async () => {
    const prov = await provenance([{ name: "x", digest: { sha256: SHA256, sha512: "f".repeat(128) } }]);
    expect(
      await compareArtifactWithProvenance({ artifactPath: artifact, provenancePath: prov }),
    ).toMatchObject({
      digest_alg: "sha256",
      sha_parity: true,
    });
  });

  it("refuses a missing artifact or provenance with an InputError naming the file", async () => {
    const prov = await provenance([{ name: "x", digest: { sha256: SHA256 } }]);
    const missing = path.join(dir, "missing.bin");
    const noArtifact = compareArtifactWithProvenance({ artifactPath: missing, provenancePath: prov });
    await expect(noArtifact).rejects.toThrow(InputError);
    await expect(noArtifact).rejects.toThrow(`Cannot read the artifact file ${missing}: no such file`);
    const noProv = compareArtifactWithProvenance({ artifactPath: artifact, provenancePath: missing });
    await expect(noProv).rejects.toThrow(`Cannot read the provenance file ${missing}: no such file`);
    const dirAsArtifact = compareArtifactWithProvenance({ artifactPath: dir, provenancePath: prov });
    await expect(dirAsArtifact).rejects.toThrow(`Cannot read the artifact file ${dir}: is a directory`);
  });
});

describe("formatParityLine", () => {
  const result: ParityResult = {
    run_id: "19283746",
    metadata_sha: SHA256,
    computed_sha: SHA256,
    sha_parity: true,
    digest_alg: "sha256",
    subject: "pkg:npm/app@1.0.0?arch=amd64",
    format: "sigstore-bundle",
    artifact_bytes: 15,
  };

  it("prints the six fields in order on one line", () => {
    expect(formatParityLine(result)).toBe(
      `run_id=19283746 metadata_sha=${SHA256} computed_sha=${SHA256} sha_parity=true digest_alg=sha256 subject=pkg:npm/app@1.0.0?arch=amd64`,
    );
  });

  it("quotes an empty value or one with blanks so the line stays splittable", () => {
    expect(formatParityLine({ ...result, subject: "my app.zip" })).toMatch(/ subject="my app\.zip"$/);
    expect(formatParityLine({ ...result, subject: "" })).toMatch(/ subject=""$/);
  });
});
