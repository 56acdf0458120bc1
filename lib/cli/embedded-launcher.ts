import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import {
  registerEmbeddedLauncher,
  serveInThread,
  type EmbeddedServer,
  type ServeOptions,
} from "../db/embedded-server";

/**
 * The bundled CLI owns the embedded database from a worker thread (dist/cli/embedded-worker.mjs
 * beside dist/cli/main.mjs), so PGlite's start-up runs beside the command's own work.
 */
type WorkerMessage = { type: "ready" } | { type: "stopped" } | { type: "error"; message: string };

async function serveInWorker(entry: string, options: ServeOptions): Promise<EmbeddedServer> {
  const worker = new Worker(entry, { workerData: options });
  const next = () =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        worker.off("error", onError);
        worker.off("exit", onExit);
        resolve(message);
      };
      const onError = (error: Error) => {
        worker.off("message", onMessage);
        worker.off("exit", onExit);
        reject(error);
      };
      const onExit = (code: number) => onError(new Error(`the embedded database's worker exited (${code})`));
      worker.once("message", onMessage);
      worker.once("error", onError);
      worker.once("exit", onExit);
    });
  const first = await next().catch((error: unknown) => ({ type: "error" as const, message: String(error) }));
  if (first.type !== "ready") {
    await worker.terminate();
    throw new Error(
      `the embedded database did not start: ${first.type === "error" ? first.message : first.type}`,
    );
  }
  // A worker that dies later takes its socket with it: the clients' next queries fail and
  // openEmbeddedResilient reopens (another owner starts), which is where the failure shows.
  worker.on("error", () => undefined);
  return {
    stop: async (lingerMs) => {
      const stopped = next().catch(() => null);
      worker.postMessage({ type: "stop", lingerMs });
      await stopped;
      await worker.terminate();
    },
  };
}

/** Registers the worker launcher when the bundled worker sits beside `entryScript`. */
export function launchEmbeddedFromWorker(entryScript: string): void {
  const entry = path.join(path.dirname(entryScript), "embedded-worker.mjs");
  if (existsSync(entry)) registerEmbeddedLauncher((options) => serveInWorker(entry, options));
  else registerEmbeddedLauncher(serveInThread);
}
