import { InputError } from "../errors";

/** Every reason an archive is refused; tests and callers match on these, people read the message. */
export type ZipRule =
  | "parent-segment"
  | "absolute-path"
  | "drive-letter"
  | "backslash"
  | "control-character"
  | "empty-segment"
  | "symlink"
  | "special-file"
  | "size-mismatch"
  | "crc-mismatch"
  | "total-over-cap"
  | "entries-over-cap"
  | "duplicate"
  | "encrypted"
  | "unsupported-compression"
  | "invalid-zip";

/** A refused archive: bad input (exit 1), naming the zip file, the entry and the rule broken. */
export class UnsafeArchiveError extends InputError {
  constructor(
    readonly zipFile: string,
    readonly entry: string | null,
    readonly rule: ZipRule,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    const what = entry === null ? "refused" : `refused entry ${quoteEntryName(entry)}`;
    super(`${zipFile}: ${what}: ${detail} [${rule}]`, options);
  }
}

/** Quotes a name with control characters made visible; backslashes stay as they are. */
export function quoteEntryName(name: string): string {
  const visible = name.replace(
    /[\u0000-\u001f\u007f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return `"${visible}"`;
}

export interface NameViolation {
  rule: ZipRule;
  detail: string;
}

/**
 * Our own check of an entry name, run on every name whether or not yauzl already objected, so each
 * refusal carries our rule. A name that passes has only plain segments: joined under any folder it
 * stays inside that folder. A directory entry's one trailing "/" is allowed.
 */
export function checkEntryName(name: string): NameViolation | null {
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    return { rule: "control-character", detail: "the name contains a control character" };
  }
  if (/^[A-Za-z]:/.test(name)) {
    return { rule: "drive-letter", detail: `the name starts with a drive letter (${name.slice(0, 2)})` };
  }
  if (name.startsWith("/")) {
    return { rule: "absolute-path", detail: "the name is an absolute path" };
  }
  if (name.includes("\\")) {
    const climbs = name.split(/[\\/]/).includes("..");
    const why = climbs ? "; read as a separator it climbs out with '..'" : "";
    return { rule: "backslash", detail: `the name contains a backslash, a Windows path separator${why}` };
  }
  const segments = splitEntryName(name);
  if (segments.includes("..")) {
    return { rule: "parent-segment", detail: "the name has a '..' segment that leads out of the target" };
  }
  if (segments.some((segment) => segment === "" || segment === ".")) {
    return { rule: "empty-segment", detail: "the name is empty or has an empty or '.' segment" };
  }
  return null;
}

/** The name's segments, a directory entry's trailing "/" dropped. */
export function splitEntryName(name: string): string[] {
  return (name.endsWith("/") ? name.slice(0, -1) : name).split("/");
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

export type EntryKind = "file" | "directory" | "symlink" | "special";

/**
 * The entry's type from the Unix mode in the external attributes' high 16 bits, read whatever
 * "version made by" says (a hostile archive need not say Unix). No mode bits: the name decides.
 */
export function entryKind(name: string, externalFileAttributes: number): EntryKind {
  const type = (externalFileAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK) return "symlink";
  if (type === S_IFDIR || name.endsWith("/")) return "directory";
  if (type === S_IFREG || type === 0) return "file";
  return "special";
}

/**
 * Remembers what each path became, so a later entry can neither land on an earlier one nor write
 * through an earlier file as if it were a folder.
 */
export class EntryPaths {
  private readonly kinds = new Map<string, "file" | "directory">();

  /** The conflict with an earlier entry, or null after recording this one. */
  claim(segments: readonly string[], kind: "file" | "directory"): NameViolation | null {
    for (let depth = 1; depth < segments.length; depth++) {
      const parent = segments.slice(0, depth).join("/");
      if (this.kinds.get(parent) === "file") {
        return { rule: "duplicate", detail: `it would write through the earlier file entry "${parent}"` };
      }
    }
    const own = segments.join("/");
    const earlier = this.kinds.get(own);
    if (earlier === "file") return { rule: "duplicate", detail: "an earlier entry already wrote this file" };
    if (earlier === "directory" && kind === "file") {
      return { rule: "duplicate", detail: "an earlier entry made this path a folder" };
    }
    for (let depth = 1; depth < segments.length; depth++)
      this.kinds.set(segments.slice(0, depth).join("/"), "directory");
    this.kinds.set(own, kind);
    return null;
  }
}

// yauzl (strictFileNames) rejects these names itself, before the entry reaches us; its message
// ends with the name, which we take back and judge with our own rules.
const YAUZL_NAME_ERRORS =
  /^(?:invalid characters in fileName|absolute path|invalid relative path): ([\s\S]*)$/;

/** yauzl's name refusals become ours; anything else it reports means the zip is damaged or hostile. */
export function refusalFromYauzl(
  zipFile: string,
  error: unknown,
  entryIndex: number,
  previous: string | null,
): UnsafeArchiveError {
  const message = error instanceof Error ? error.message : String(error);
  const name = YAUZL_NAME_ERRORS.exec(message)?.[1];
  if (name !== undefined) {
    const violation = checkEntryName(name) ?? { rule: "invalid-zip" as const, detail: `yauzl: ${message}` };
    return new UnsafeArchiveError(zipFile, name, violation.rule, violation.detail, { cause: error });
  }
  // yauzl judges these before handing the entry over, so only its position is known.
  const where =
    previous === null ? `entry #${entryIndex}` : `entry #${entryIndex} (after ${quoteEntryName(previous)})`;
  const stored = /size mismatch for stored file: (\d+) != (\d+)/.exec(message);
  if (stored) {
    const detail = `${where} is stored with ${stored[1]} bytes but declares ${stored[2]}`;
    return new UnsafeArchiveError(zipFile, null, "size-mismatch", detail, { cause: error });
  }
  const what = entryIndex === 0 ? "not a readable zip archive" : `${where} cannot be read`;
  return new UnsafeArchiveError(zipFile, null, "invalid-zip", `${what}: ${message}`, { cause: error });
}
