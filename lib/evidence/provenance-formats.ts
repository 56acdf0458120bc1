/**
 * The provenance shapes of DESIGN §4, recognised by content. Each reader returns the in-toto
 * `subject[]` entries it reaches; nothing else in a document is read, because predicates carry
 * unrelated digests (builder images, reusable workflows).
 */

export const PROVENANCE_FORMATS = {
  "in-toto-statement": "in-toto Statement (_type + subject)",
  "dsse-envelope": "DSSE envelope (payloadType + base64 payload)",
  "json-lines": "JSON lines of envelopes/bundles",
  "sigstore-bundle": "Sigstore bundle (dsseEnvelope)",
  "npm-attestations": "npm attestations wrapper (attestations[].bundle)",
  "legacy-metadata": "legacy metadata.content_sha256",
} as const;

export type ProvenanceFormat = keyof typeof PROVENANCE_FORMATS;

/** A subject as found, before its digests are checked; `where` locates it for error messages. */
export interface RawSubject {
  name: unknown;
  digest: unknown;
  where: string;
  /** Prefix of a digest field in error messages: `subject[0].digest.` or `metadata.content_`. */
  digestWhere: string;
}

/** A shape that was recognised but is broken (bad base64, a payload that is not a Statement…). */
export class ProvenanceShapeError extends Error {
  override readonly name = "ProvenanceShapeError";
}

type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Detects one JSON document's format and returns its subjects, or null when no format fits. */
export function readDocument(
  doc: unknown,
  where: string,
): { format: ProvenanceFormat; subjects: RawSubject[] } | null {
  if (!isObject(doc)) return null;
  if (typeof doc._type === "string" && "subject" in doc) {
    return { format: "in-toto-statement", subjects: readStatement(doc, where) };
  }
  if ("payloadType" in doc && "payload" in doc) {
    return { format: "dsse-envelope", subjects: readEnvelope(doc, where) };
  }
  if ("dsseEnvelope" in doc) {
    return { format: "sigstore-bundle", subjects: readBundle(doc, where) };
  }
  if (Array.isArray(doc.attestations)) {
    const subjects = doc.attestations.flatMap((attestation, i) => {
      const at = `${where}attestations[${i}].bundle`;
      if (!isObject(attestation) || !isObject(attestation.bundle)) {
        throw new ProvenanceShapeError(`${at} is missing (expected a Sigstore bundle object)`);
      }
      return readBundle(attestation.bundle, `${at}.`);
    });
    return { format: "npm-attestations", subjects };
  }
  if (isObject(doc.metadata) && ("content_sha256" in doc.metadata || "content_sha512" in doc.metadata)) {
    const { metadata } = doc;
    const name = metadata.name ?? metadata.artifact ?? metadata.file ?? "";
    const digest = { sha256: metadata.content_sha256, sha512: metadata.content_sha512 };
    const subject = { name, digest, where: `${where}metadata`, digestWhere: `${where}metadata.content_` };
    return { format: "legacy-metadata", subjects: [subject] };
  }
  return null;
}

function readStatement(statement: JsonObject, where: string): RawSubject[] {
  if (!Array.isArray(statement.subject)) {
    throw new ProvenanceShapeError(`${where}subject is not an array (expected in-toto subject[] entries)`);
  }
  return statement.subject.map((entry, i) => {
    const at = `${where}subject[${i}]`;
    if (!isObject(entry))
      throw new ProvenanceShapeError(`${at} is not an object (expected { name, digest })`);
    return { name: entry.name, digest: entry.digest, where: at, digestWhere: `${at}.digest.` };
  });
}

function readBundle(bundle: JsonObject, where: string): RawSubject[] {
  if (!isObject(bundle.dsseEnvelope)) {
    // A message-signature bundle signs a blob directly and names no subjects.
    throw new ProvenanceShapeError(
      `${where}dsseEnvelope is missing (expected a DSSE envelope inside the bundle)`,
    );
  }
  return readEnvelope(bundle.dsseEnvelope, `${where}dsseEnvelope.`);
}

function readEnvelope(envelope: JsonObject, where: string): RawSubject[] {
  const at = `${where}payload`;
  if (typeof envelope.payload !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(envelope.payload.trim())) {
    throw new ProvenanceShapeError(`${at} is not a base64 string`);
  }
  const text = Buffer.from(envelope.payload, "base64").toString("utf8");
  let statement: unknown;
  try {
    statement = JSON.parse(text);
  } catch (error) {
    throw new ProvenanceShapeError(`${at} does not decode to JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (!isObject(statement) || typeof statement._type !== "string" || !("subject" in statement)) {
    throw new ProvenanceShapeError(
      `${at} does not decode to an in-toto Statement (expected _type and subject)`,
    );
  }
  return readStatement(statement, `${at}→`);
}
