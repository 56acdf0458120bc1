import { parentPort, workerData } from "node:worker_threads";
import { serveInThread, type ServeOptions } from "./embedded-server";

/**
 * The worker thread that owns the embedded database in a bundled CLI process
 * (embedded-server.ts): PGlite and its socket server, stopped on the parent's word.
 */
const port = parentPort;
if (port) {
  serveInThread(workerData as ServeOptions).then(
    (server) => {
      port.postMessage({ type: "ready" });
      port.once("message", (message: { type: string; lingerMs?: number }) => {
        if (message.type !== "stop") return;
        void server.stop(message.lingerMs ?? 0).then(() => port.postMessage({ type: "stopped" }));
      });
    },
    (error: unknown) =>
      port.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) }),
  );
}
