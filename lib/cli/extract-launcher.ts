import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { ExtractOptions, ExtractResult } from "../github/extract";
import { reviveError, type ExtractReply, type ExtractRequest } from "../github/extract-messages";
import { registerExtractLauncher, type ExtractLauncher } from "../github/extract-runner";

/**
 * Extraction workers for the bundled CLI (dist/cli/extract-worker.mjs beside dist/cli/main.mjs):
 * started on first use, one per extraction running at once, kept for the next one and never
 * holding the process open while idle.
 */
export function createExtractPool(entry: string): ExtractLauncher & { close: () => Promise<void> } {
  const idle: Worker[] = [];
  const all = new Set<Worker>();
  let nextId = 0;

  const take = (): Worker => {
    const worker = idle.pop() ?? new Worker(entry);
    if (!all.has(worker)) {
      all.add(worker);
      worker.once("exit", () => {
        all.delete(worker);
        const at = idle.indexOf(worker);
        if (at >= 0) idle.splice(at, 1);
      });
    }
    worker.ref();
    return worker;
  };

  const extract = (options: ExtractOptions): Promise<ExtractResult> => {
    const { signal, ...rest } = options;
    signal?.throwIfAborted();
    const worker = take();
    const id = ++nextId;
    return new Promise<ExtractResult>((resolve, reject) => {
      const onAbort = () => worker.postMessage({ type: "abort", id } satisfies ExtractRequest);
      const done = () => {
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        signal?.removeEventListener("abort", onAbort);
      };
      const onMessage = (reply: ExtractReply) => {
        if (reply.id !== id) return;
        done();
        worker.unref();
        idle.push(worker);
        if (reply.ok) resolve(reply.result);
        // Stopped by the caller: its own reason, as the in-thread extraction throws it.
        else reject(signal?.aborted ? signal.reason : reviveError(reply.error));
      };
      const onError = (error: Error) => {
        done();
        void worker.terminate();
        reject(error);
      };
      const onExit = (code: number) => onError(new Error(`the extraction worker exited (${code})`));
      worker.on("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
      signal?.addEventListener("abort", onAbort, { once: true });
      worker.postMessage({ type: "extract", id, options: rest } satisfies ExtractRequest);
    });
  };

  return Object.assign(extract, {
    close: async () => {
      await Promise.all([...all].map((w) => w.terminate()));
    },
  });
}

/** Registers the pool when the bundled worker sits beside `entryScript` (the CLI bundle). */
export function launchExtractionInWorkers(entryScript: string): void {
  const entry = path.join(path.dirname(entryScript), "extract-worker.mjs");
  if (existsSync(entry)) registerExtractLauncher(createExtractPool(entry));
}
