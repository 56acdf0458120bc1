import { InputError } from "../errors";
import type { ExtractOptions, ExtractResult } from "./extract";
import { UnsafeArchiveError, type ZipRule } from "./zip-safety";

/** What the main thread and an extraction worker (extract-worker.ts) say to each other. */
export type ExtractRequest =
  { type: "extract"; id: number; options: Omit<ExtractOptions, "signal"> } | { type: "abort"; id: number };

export type SentError =
  | { kind: "unsafe"; zipFile: string; entry: string | null; rule: ZipRule; detail: string }
  | { kind: "input"; message: string }
  | { kind: "other"; message: string; code?: string; syscall?: string };

export type ExtractReply =
  { id: number; ok: true; result: ExtractResult } | { id: number; ok: false; error: SentError };

/** The error with the class and fields the in-thread extraction would have thrown. */
export function reviveError(sent: SentError): Error {
  if (sent.kind === "unsafe") return new UnsafeArchiveError(sent.zipFile, sent.entry, sent.rule, sent.detail);
  if (sent.kind === "input") return new InputError(sent.message);
  return Object.assign(new Error(sent.message), { code: sent.code, syscall: sent.syscall });
}
