import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The embedded database's owner side: PGlite plus the socket server every process (the owner
 * included) talks to. Starting PGlite costs about half a second of WASM; in a worker thread it
 * runs beside the caller's own start-up work (the observer report parses 70 MB of runs
 * meanwhile, DESIGN §11) instead of before it. The worker is bundled beside the CLI
 * (dist/cli/embedded-worker.mjs) and launched by it; everywhere else (the dashboard, tests on the
 * sources) the server runs in this thread.
 */
export interface EmbeddedServer {
  /** Serves until the connected clients are done (at most lingerMs), then stops and closes PGlite. */
  stop(lingerMs: number): Promise<void>;
}

export interface ServeOptions {
  pgliteDir: string;
  socketPath: string;
}

export async function serveInThread({ pgliteDir, socketPath }: ServeOptions): Promise<EmbeddedServer> {
  const [{ PGlite }, { PGLiteSocketServer }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite-socket"),
  ]);
  const pglite = await PGlite.create(pgliteDir);
  rmSync(socketPath, { force: true });
  const server = new PGLiteSocketServer({ db: pglite, path: socketPath, maxConnections: 512 });
  const stop = async (lingerMs: number) => {
    // Others may be mid-command on our socket: serve until they are done, so a handover never
    // cuts a transaction short.
    const until = Date.now() + lingerMs;
    // Polled often: the CLI that owns the database waits here on its way out.
    while (server.getStats().activeConnections > 0 && Date.now() < until) await sleep(5);
    await server.stop().catch(() => undefined);
    await pglite.close().catch(() => undefined);
  };
  try {
    await server.start();
  } catch (error) {
    await stop(0);
    throw error;
  }
  return { stop };
}

/** Starts the owner side somewhere else (the CLI's worker thread); null serves in this thread. */
export type EmbeddedLauncher = (options: ServeOptions) => Promise<EmbeddedServer>;

let launcher: EmbeddedLauncher | null = null;

/**
 * Only the bundled CLI registers a launcher (lib/cli/embedded-launcher.ts): the worker code stays
 * out of the dashboard's module graph, where Next's tracer would follow the worker's dynamic path
 * across the whole repository.
 */
export function registerEmbeddedLauncher(next: EmbeddedLauncher): void {
  launcher = next;
}

/**
 * `onLaunched` is called once the owner side runs elsewhere (the worker spawned), so the caller
 * can start CPU-heavy work beside it; it is not called when the server runs in this thread.
 */
export async function serveEmbedded(options: ServeOptions, onLaunched?: () => void): Promise<EmbeddedServer> {
  if (!launcher) return serveInThread(options);
  const serving = launcher(options);
  onLaunched?.();
  return serving;
}
