import { InputError } from "../errors";
import {
  isObject,
  PROVENANCE_FORMATS,
  ProvenanceShapeError,
  readDocument,
  type ProvenanceFormat,
  type RawSubject,
} from "./provenance-formats";

export { PROVENANCE_FORMATS, type ProvenanceFormat } from "./provenance-formats";

export interface SubjectDigests {
  sha256?: string;
  sha512?: string;
}

export interface ProvenanceSubject {
  name: string;
  /** Lowercase hex. */
  digests: SubjectDigests;
}

export interface ParsedProvenance {
  format: ProvenanceFormat;
  subjects: ProvenanceSubject[];
}

const HEX_LENGTH = { sha256: 64, sha512: 128 } as const;

/**
 * Reads the subjects of a provenance document, whatever its format (detected from the content,
 * never from `file`, which only names the source in errors). Throws InputError naming the file
 * and the formats tried when nothing fits or no subject carries a sha256/sha512 digest.
 */
export function parseProvenance(text: string, file: string): ParsedProvenance {
  let parsed: { format: ProvenanceFormat; subjects: RawSubject[] };
  try {
    parsed = readText(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    if (!(error instanceof ProvenanceShapeError)) throw error;
    throw new InputError(`${file}: ${error.message}; formats tried: ${formatsTried()}`, { cause: error });
  }
  const subjects = parsed.subjects.map((raw) => toSubject(raw, file));
  if (!subjects.some((s) => s.digests.sha256 || s.digests.sha512)) {
    throw new InputError(
      `${file}: no subject carries a sha256 or sha512 digest (read as ${PROVENANCE_FORMATS[parsed.format]}, ` +
        `${subjects.length} subject(s)); formats tried: ${formatsTried()}`,
    );
  }
  return { format: parsed.format, subjects };
}

function formatsTried(): string {
  return Object.values(PROVENANCE_FORMATS).join("; ");
}

function readText(text: string): { format: ProvenanceFormat; subjects: RawSubject[] } {
  if (text.trim() === "") throw new ProvenanceShapeError("the file is empty");
  let whole: unknown;
  let wholeError: unknown = null;
  try {
    whole = JSON.parse(text);
  } catch (error) {
    wholeError = error;
  }
  if (wholeError === null) {
    const read = readDocument(whole, "");
    if (read) return read;
    throw new ProvenanceShapeError(`the JSON document matches no known format (${describe(whole)})`);
  }
  // Not one JSON document: try JSON lines, one envelope or bundle per line.
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines.length < 2) {
    throw new ProvenanceShapeError(`not JSON (${(wholeError as Error).message})`, { cause: wholeError });
  }
  const subjects = lines.flatMap((line, i) => {
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (error) {
      const whole = (wholeError as Error).message;
      const message =
        i === 0
          ? `not JSON (${whole})`
          : `not JSON (${whole}), nor JSON lines (line ${i + 1}: ${(error as Error).message})`;
      throw new ProvenanceShapeError(message, { cause: error });
    }
    const read = readDocument(doc, `line ${i + 1}: `);
    if (!read) throw new ProvenanceShapeError(`line ${i + 1} matches no known format (${describe(doc)})`);
    return read.subjects;
  });
  return { format: "json-lines", subjects };
}

function describe(value: unknown): string {
  if (isObject(value)) return `an object with keys ${Object.keys(value).slice(0, 8).join(", ") || "(none)"}`;
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

function toSubject(raw: RawSubject, file: string): ProvenanceSubject {
  const digests: SubjectDigests = {};
  const digest = raw.digest ?? {};
  if (!isObject(digest)) {
    throw new InputError(`${file}: ${raw.where}.digest is not an object (expected { sha256: <hex> })`);
  }
  for (const alg of ["sha256", "sha512"] as const) {
    const value = digest[alg];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" || !new RegExp(`^[0-9a-fA-F]{${HEX_LENGTH[alg]}}$`).test(value)) {
      throw new InputError(`${file}: ${raw.digestWhere}${alg} is not ${HEX_LENGTH[alg]} hex characters`);
    }
    digests[alg] = value.toLowerCase();
  }
  return { name: typeof raw.name === "string" ? raw.name : "", digests };
}
