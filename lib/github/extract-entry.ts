import { createWriteStream } from "node:fs";
import path from "node:path";
import { PassThrough, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { crc32, createInflateRaw } from "node:zlib";
import type { Entry, ZipFile } from "yauzl";
import { createDigester } from "../evidence/digest";
import type { ExtractOptions } from "./extract";
import { checkEntryName, entryKind, EntryPaths, splitEntryName, UnsafeArchiveError } from "./zip-safety";

// One entry's checks and its write, for extractZipSafely.

/**
 * Deflated entries are inflated here rather than by yauzl, in 256 KiB pieces instead of zlib's
 * default 16 KiB, and written through a 256 KiB buffer: every piece costs a trip through each
 * stream, the event loop and a write, and with fewer of them a 5 MiB extraction takes about half
 * the CPU (DESIGN §11). Larger pieces save little more and keep more garbage between collections
 * (the 1 GiB artifact's 150 MB budget). Sizes and CRC stay checked below.
 */
const INFLATE_CHUNK_BYTES = 256 * 1024;
const WRITE_BUFFER_BYTES = 256 * 1024;
const DEFLATED = 8;

/** Builds the refusal for the entry at hand, so every message names it. */
export type Refuse = (
  rule: UnsafeArchiveError["rule"],
  detail: string,
  cause?: unknown,
) => UnsafeArchiveError;

/**
 * Every rule that can be judged before reading the entry's bytes: the name, the type, earlier
 * entries, the resolved destination, encryption and compression.
 */
export function vetEntry(entry: Entry, staging: string, paths: EntryPaths, refuse: Refuse) {
  const bad = checkEntryName(entry.fileName);
  if (bad) throw refuse(bad.rule, bad.detail);
  const kind = entryKind(entry.fileName, entry.externalFileAttributes);
  if (kind === "symlink") throw refuse("symlink", "symbolic links are never extracted");
  if (kind === "special") throw refuse("special-file", "only files and folders are extracted");
  const segments = splitEntryName(entry.fileName);
  const conflict = paths.claim(segments, kind);
  if (conflict) throw refuse(conflict.rule, conflict.detail);
  const destination = insideOrThrow(staging, segments, refuse);
  if (kind === "file" && entry.isEncrypted()) {
    throw refuse("encrypted", "encrypted entries are not supported");
  }
  if (kind === "file" && entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    const detail = `compression method ${entry.compressionMethod} (only stored and deflate)`;
    throw refuse("unsupported-compression", detail);
  }
  return { kind, segments, destination };
}

/** Resolves the entry under the staging folder and proves it stays there (checkEntryName already should). */
function insideOrThrow(staging: string, segments: readonly string[], refuse: Refuse): string {
  const destination = path.resolve(staging, ...segments);
  if (!destination.startsWith(staging + path.sep)) {
    throw refuse("parent-segment", "the name resolves outside the target");
  }
  return destination;
}

export async function writeEntry(
  zip: ZipFile,
  entry: Entry,
  destination: string,
  options: Pick<ExtractOptions, "algorithms" | "signal">,
  refuse: Refuse,
) {
  const digester = createDigester(options.algorithms);
  let size = 0;
  let crc = 0;
  // Our own count beside yauzl's: the declared size is what the cap was checked against.
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      size += chunk.length;
      if (size > entry.uncompressedSize) {
        return callback(refuse("size-mismatch", `more bytes than the declared ${entry.uncompressedSize}`));
      }
      digester.update(chunk);
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (size !== entry.uncompressedSize) {
        return callback(refuse("size-mismatch", `${size} bytes, but ${entry.uncompressedSize} declared`));
      }
      if (crc !== entry.crc32) return callback(refuse("crc-mismatch", "the data does not match its CRC-32"));
      callback();
    },
  });
  try {
    const deflated = entry.compressionMethod === DEFLATED;
    // yauzl still refuses encrypted entries and unknown methods (those it decompresses itself).
    const source = await zip.openReadStreamPromise(entry, deflated ? { decompress: false } : {});
    const inflate = deflated ? createInflateRaw({ chunkSize: INFLATE_CHUNK_BYTES }) : new PassThrough();
    // "wx": O_CREAT|O_EXCL never follows or reuses an existing path.
    const sink = createWriteStream(destination, {
      flags: "wx",
      mode: 0o644,
      highWaterMark: WRITE_BUFFER_BYTES,
    });
    await pipeline(source, inflate, check, sink, { signal: options.signal });
  } catch (error) {
    // Our refusals, an abort and file-system failures (they carry a syscall: disk full…) pass as they are;
    // what is left came from yauzl or zlib reading the entry, so the archive is at fault.
    if (error instanceof UnsafeArchiveError || options.signal?.aborted || hasSyscall(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw refuse(...describeReadFailure(message, entry.uncompressedSize), error);
  }
  const digest = digester.digest();
  return { size, sha256: digest.sha256, ...(digest.sha512 ? { sha512: digest.sha512 } : {}) };
}

/** yauzl's byte-count errors in our words; any other read failure means a damaged entry. */
function describeReadFailure(message: string, declared: number): [UnsafeArchiveError["rule"], string] {
  if (/too many bytes/.test(message)) return ["size-mismatch", `more bytes than the declared ${declared}`];
  const short = /not enough bytes.*got only (\d+)/.exec(message);
  if (short) return ["size-mismatch", `${short[1]} bytes, but ${declared} declared`];
  return ["invalid-zip", `the entry cannot be read: ${message}`];
}

function hasSyscall(error: unknown): boolean {
  return typeof (error as NodeJS.ErrnoException | undefined)?.syscall === "string";
}
