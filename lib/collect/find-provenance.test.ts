import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sha256, statementFor } from "../../test/support/collect-fixture";
import { findProvenance, type CollectedFile } from "./find-provenance";
import { compareWithProvenance } from "./parity";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "find-provenance-"));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function file(artifact: string, relPath: string, content: string | Buffer): Promise<CollectedFile> {
  const absPath = path.join(dir, artifact, relPath);
  await fs.mkdir(path.dirname(absPath), { recursive: true });
  await fs.writeFile(absPath, content);
  const bytes = Buffer.from(content);
  return { artifact, relPath, absPath, size: bytes.length, sha256: sha256(bytes) };
}

const dsse = (statement: string) =>
  `${JSON.stringify({ payloadType: "application/vnd.in-toto+json", payload: Buffer.from(statement).toString("base64"), signatures: [] })}\n`;

describe("findProvenance", () => {
  it("takes the files named like the pattern, and reads their format from the content", async () => {
    const app = await file("app", "app.tar.gz", "binary");
    const prov = await file(
      "meta",
      "provenance-app.json",
      dsse(statementFor([{ name: "app.tar.gz", sha256: app.sha256 }])),
    );
    const other = await file(
      "meta",
      "attestation.json",
      statementFor([{ name: "x", sha256: "a".repeat(64) }]),
    );
    const found = await findProvenance([app, prov, other], "provenance-*.json");
    expect(found.map((f) => [f.file.relPath, f.format, f.detectedBy])).toEqual([
      ["provenance-app.json", "dsse-envelope", "name"],
    ]);
  });

  it("detects the provenance by content when no name matches, and leaves other JSON as artifacts", async () => {
    const report = await file("app", "report.json", JSON.stringify({ checks: [{ sha256: "b".repeat(64) }] }));
    const bundle = {
      mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
      dsseEnvelope: JSON.parse(
        dsse(statementFor([{ name: "report.json", sha256: report.sha256 }])),
      ) as unknown,
    };
    // Named like a DSSE file, but a Sigstore bundle: the name must not decide.
    const prov = await file("app", "report.json.intoto.jsonl", `${JSON.stringify(bundle)}\n`);
    const found = await findProvenance([report, prov], "provenance-*.json");
    expect(found.map((f) => [f.file.relPath, f.format, f.detectedBy])).toEqual([
      ["report.json.intoto.jsonl", "sigstore-bundle", "content"],
    ]);
    expect(await findProvenance([report], "provenance-*.json")).toEqual([]);
  });

  it("matches a pattern with a folder against <artifact>/<path>", async () => {
    const prov = await file("attest", "out/slsa.json", statementFor([{ name: "a", sha256: "c".repeat(64) }]));
    expect(await findProvenance([prov], "attest/**/*.json")).toHaveLength(1);
    expect(await findProvenance([prov], "other/**/*.json").then((f) => f.map((x) => x.detectedBy))).toEqual([
      "content",
    ]);
  });
});

describe("compareWithProvenance", () => {
  it("finds parity with the second of three subjects whatever the names and the hex case", async () => {
    const app = await file("app", "dist/app.tar.gz", "the build");
    const prov = await file(
      "meta",
      "provenance-app.json",
      statementFor([
        { name: "sbom.spdx.json", sha256: "d".repeat(64) },
        { name: "something-else.tgz", sha256: app.sha256.toUpperCase() },
        { name: "checksums.txt", sha256: "e".repeat(64) },
      ]),
    );
    const [found] = await findProvenance([app, prov], "provenance-*.json");
    const match = await compareWithProvenance([app], found ? [found] : []);
    expect(match).toMatchObject({
      shaParity: true,
      subject: "something-else.tgz",
      computedSha: app.sha256,
      provSha: app.sha256,
    });
  });

  it("shows the subject named like the artifact when nothing matches", async () => {
    const readme = await file("app", "README.txt", "read me");
    const app = await file("app", "app.tar.gz", "the build");
    const prov = await file(
      "meta",
      "provenance-app.json",
      statementFor([
        { name: "sbom.spdx.json", sha256: "d".repeat(64) },
        { name: "dist/app.tar.gz", sha256: "f".repeat(64) },
      ]),
    );
    const [found] = await findProvenance([readme, app, prov], "provenance-*.json");
    const match = await compareWithProvenance([readme, app], found ? [found] : []);
    expect(match).toMatchObject({
      shaParity: false,
      subject: "dist/app.tar.gz",
      provSha: "f".repeat(64),
      computedSha: app.sha256,
    });
    expect(match?.artifact.relPath).toBe("app.tar.gz");
  });

  it("compares SHA-512 when the provenance carries only SHA-512 subjects (npm)", async () => {
    const tgz = await file("pkg", "pkg.tgz", "npm tarball");
    const sha512 = createHash("sha512").update("npm tarball").digest("hex");
    const statement = JSON.stringify({
      _type: "https://in-toto.io/Statement/v1",
      subject: [{ name: "pkg:npm/pkg@1.0.0", digest: { sha512 } }],
      predicateType: "https://slsa.dev/provenance/v1",
      predicate: {},
    });
    const prov = await file("meta", "provenance-pkg.json", statement);
    const [found] = await findProvenance([tgz, prov], "provenance-*.json");
    const match = await compareWithProvenance([tgz], found ? [found] : []);
    expect(match).toMatchObject({ shaParity: true, digestAlg: "sha512", computedSha: sha512 });
  });
});
