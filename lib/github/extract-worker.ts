import { parentPort } from "node:worker_threads";
import { InputError } from "../errors";
import { extractZipSafely, type ExtractOptions } from "./extract";
import { UnsafeArchiveError } from "./zip-safety";
import type { ExtractReply, ExtractRequest, SentError } from "./extract-messages";

/**
 * A worker thread that extracts archives for the bundled CLI (extract-runner.ts): one request at
 * a time per worker, aborted on the caller's word. Errors travel as plain data and are rebuilt
 * with their class on the other side (extract-messages.ts).
 */
const port = parentPort;
const running = new Map<number, AbortController>();

function toSent(error: unknown): SentError {
  if (error instanceof UnsafeArchiveError) {
    return {
      kind: "unsafe",
      zipFile: error.zipFile,
      entry: error.entry,
      rule: error.rule,
      detail: error.detail,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InputError) return { kind: "input", message };
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return { kind: "other", message, code, syscall };
}

port?.on("message", (request: ExtractRequest) => {
  if (request.type === "abort") {
    running.get(request.id)?.abort(new Error("aborted by the caller"));
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  const options: ExtractOptions = { ...request.options, signal: controller.signal };
  extractZipSafely(options)
    .then(
      (result): ExtractReply => ({ id: request.id, ok: true, result }),
      (error: unknown): ExtractReply => ({ id: request.id, ok: false, error: toSent(error) }),
    )
    .then((reply) => {
      running.delete(request.id);
      port.postMessage(reply);
    });
});
