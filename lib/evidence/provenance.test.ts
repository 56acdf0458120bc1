import { describe, expect, it } from "vitest";
import { InputError } from "../errors";
import { parseProvenance } from "./provenance";

const A = "a".repeat(64);
const B = "b".repeat(64);
const C = "c".repeat(64);
const S512 = "d".repeat(128);

function statement(subject: unknown[], predicate: unknown = {}) {
  return {
    _type: "https://in-toto.io/Statement/v1",
    subject,
    predicateType: "https://slsa.dev/provenance/v1",
    predicate,
  };
}
function envelope(payload: unknown) {
  const encoded = Buffer.from(JSON.stringify(payload)).toString("base64");
  return {
    payloadType: "application/vnd.in-toto+json",
    payload: encoded,
    signatures: [{ keyid: "", sig: "c2ln" }],
  };
}
function bundle(payload: unknown) {
  return {
    mediaType: "application/vnd.dev.sigstore.bundle.v0.3+json",
    verificationMaterial: { certificate: { rawBytes: "" } },
    dsseEnvelope: envelope(payload),
  };
}
const json = (value: unknown) => JSON.stringify(value);

describe("parseProvenance", () => {
  it("reads the subjects of a bare in-toto Statement", () => {
    const text = json(statement([{ name: "app.tgz", digest: { sha256: A } }]));
    expect(parseProvenance(text, "p.json")).toEqual({
      format: "in-toto-statement",
      subjects: [{ name: "app.tgz", digests: { sha256: A } }],
    });
  });

  it("decodes a DSSE envelope's base64 payload into its Statement", () => {
    const text = json(envelope(statement([{ name: "x", digest: { sha256: A } }])));
    expect(parseProvenance(text, "p.intoto.jsonl")).toEqual({
      format: "dsse-envelope",
      subjects: [{ name: "x", digests: { sha256: A } }],
    });
  });

  it("reads a Sigstore bundle's dsseEnvelope whatever the file is named", () => {
    const text = json(bundle(statement([{ name: "x", digest: { sha256: A } }])));
    for (const file of ["p.intoto.jsonl", "p.build.slsa", "p.sigstore.json", "noext"]) {
      expect(parseProvenance(text, file).format).toBe("sigstore-bundle");
    }
  });

  it("collects the subjects of every bundle in an npm attestations wrapper", () => {
    const text = json({
      attestations: [
        {
          predicateType: "https://github.com/npm/attestation/tree/main/specs/publish/v0.1",
          bundle: bundle(statement([{ name: "pkg:npm/a@1", digest: { sha512: S512 } }])),
        },
        {
          predicateType: "https://slsa.dev/provenance/v1",
          bundle: bundle(statement([{ name: "pkg:npm/a@1", digest: { sha512: S512 } }])),
        },
      ],
    });
    const parsed = parseProvenance(text, "p.json");
    expect(parsed.format).toBe("npm-attestations");
    expect(parsed.subjects).toEqual([
      { name: "pkg:npm/a@1", digests: { sha512: S512 } },
      { name: "pkg:npm/a@1", digests: { sha512: S512 } },
    ]);
  });

  it("reads JSON lines holding two envelopes, one per line", () => {
    const text = [
      json(envelope(statement([{ name: "one", digest: { sha256: A } }]))),
      json(bundle(statement([{ name: "two", digest: { sha256: B } }]))),
      "",
    ].join("\n");
    expect(parseProvenance(text, "p.intoto.jsonl")).toEqual({
      format: "json-lines",
      subjects: [
        { name: "one", digests: { sha256: A } },
        { name: "two", digests: { sha256: B } },
      ],
    });
  });

  it("reads the legacy metadata.content_sha256 shape", () => {
    const text = json({ metadata: { name: "app.zip", content_sha256: A.toUpperCase(), built_at: "x" } });
    expect(parseProvenance(text, "legacy.json")).toEqual({
      format: "legacy-metadata",
      subjects: [{ name: "app.zip", digests: { sha256: A } }],
    });
  });

  it("lowercases uppercase hex digests", () => {
    const text = json(statement([{ name: "x", digest: { sha256: "ABCDEF".repeat(10) + "ABCD" } }]));
    expect(parseProvenance(text, "p.json").subjects[0]?.digests.sha256).toBe("abcdef".repeat(10) + "abcd");
  });

  it("reads only subject[], never the sha256 values a predicate carries", () => {
    const predicate = {
      builder: { id: "x", digest: { sha256: B } },
      materials: [{ uri: "git+https://example.invalid", digest: { sha256: C } }],
      resolvedDependencies: [{ digest: { sha256: C } }],
    };
    const parsed = parseProvenance(
      json(envelope(statement([{ name: "x", digest: { sha256: A } }], predicate))),
      "p",
    );
    expect(parsed.subjects).toEqual([{ name: "x", digests: { sha256: A } }]);
  });

  it("keeps every subject in order, other digest algorithms ignored", () => {
    const subjects = [
      { name: "a", digest: { sha256: A, sha1: "e".repeat(40) } },
      { name: "b", digest: { sha256: B, sha512: S512 } },
      { name: "c", digest: { gitCommit: "f".repeat(40) } },
    ];
    expect(parseProvenance(json(statement(subjects)), "p").subjects).toEqual([
      { name: "a", digests: { sha256: A } },
      { name: "b", digests: { sha256: B, sha512: S512 } },
      { name: "c", digests: {} },
    ]);
  });

  it("refuses garbage with an InputError naming the file and the formats tried", () => {
    const call = () => parseProvenance("\u0000\u0001garbage{{", "/tmp/evidence/bad.intoto.jsonl");
    expect(call).toThrow(InputError);
    expect(call).toThrow(/\/tmp\/evidence\/bad\.intoto\.jsonl: not JSON/);
    expect(call).toThrow(
      /formats tried: in-toto Statement.*DSSE envelope.*JSON lines.*Sigstore bundle.*npm attestations.*legacy metadata\.content_sha256/,
    );
  });

  it("refuses JSON of no known shape, an empty file and a bundle without dsseEnvelope", () => {
    expect(() => parseProvenance(json({ hello: "world" }), "a.json")).toThrow(
      /a\.json: the JSON document matches no known format \(an object with keys hello\)/,
    );
    expect(() => parseProvenance("  \n", "empty.json")).toThrow(
      /empty\.json: the file is empty; formats tried/,
    );
    expect(() =>
      parseProvenance(
        json({ attestations: [{ bundle: { mediaType: "m", messageSignature: {} } }] }),
        "n.json",
      ),
    ).toThrow(/n\.json: attestations\[0\]\.bundle\.dsseEnvelope is missing/);
  });

  it("refuses a provenance whose subjects carry no sha256 or sha512", () => {
    const text = json(statement([{ name: "x", digest: { sha1: "e".repeat(40) } }]));
    expect(() => parseProvenance(text, "p.json")).toThrow(
      /p\.json: no subject carries a sha256 or sha512 digest .*formats tried/,
    );
  });

  it("names the field when a digest is not hex of the right length", () => {
    const text = json(
      envelope(
        statement([
          { name: "x", digest: { sha256: A } },
          { name: "y", digest: { sha256: "abc" } },
        ]),
      ),
    );
    expect(() => parseProvenance(text, "p.json")).toThrow(
      "p.json: payload→subject[1].digest.sha256 is not 64 hex characters",
    );
  });

  it("names the line of a JSON lines file that does not parse", () => {
    const text = `${json(envelope(statement([{ name: "x", digest: { sha256: A } }])))}\n{"payload": broken\n`;
    expect(() => parseProvenance(text, "p.jsonl")).toThrow(
      /p\.jsonl: not JSON \(.*\), nor JSON lines \(line 2: /,
    );
  });

  it("refuses an envelope whose payload is not an in-toto Statement", () => {
    const text = json({
      payloadType: "application/vnd.in-toto+json",
      payload: Buffer.from('{"a":1}').toString("base64"),
    });
    expect(() => parseProvenance(text, "p.json")).toThrow(
      /p\.json: payload does not decode to an in-toto Statement/,
    );
    const notBase64 = json({ payloadType: "application/vnd.in-toto+json", payload: "%%%" });
    expect(() => parseProvenance(notBase64, "q.json")).toThrow(/q\.json: payload is not a base64 string/);
  });
});
