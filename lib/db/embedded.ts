import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import lockfile from "proper-lockfile";
import { serveEmbedded, type EmbeddedServer } from "./embedded-server";
import { openPostgres } from "./postgres";
import type { Database } from "./types";

/**
 * The embedded database shared by every process on the machine. PGlite allows one process per
 * data directory, so the first process to open it becomes its owner and serves it on a Unix
 * socket in AUDIT_DATA_DIR (pglite-socket); every process, the owner included, talks to it over
 * that socket with node-postgres, so transactions from the dashboard and the CLI never interleave.
 * When the owner exits, the next process to connect takes ownership.
 */
const SOCKET_NAME = ".s.PGSQL.5432";
const OPEN_TIMEOUT_MS = 30_000;
/** How long an owner that is done keeps serving processes still connected to it. */
const LINGER_MAX_MS = 60_000;

export function getEmbeddedSocketPath(dataDir: string): string {
  return path.join(dataDir, SOCKET_NAME);
}

/** Hooks into opening the embedded database. */
export interface OpenHooks {
  /** The owner side was launched in a worker: its start-up now runs beside this thread. */
  onLaunched?: () => void;
}

export async function openEmbedded(dataDir: string, hooks: OpenHooks = {}): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const deadline = Date.now() + OPEN_TIMEOUT_MS;
  let lastError: unknown;
  for (;;) {
    if (existsSync(getEmbeddedSocketPath(dataDir))) {
      try {
        return await connect(dataDir);
      } catch (error) {
        lastError = error; // a socket left by an owner that died: take ownership below
      }
    }
    const owned = await becomeOwner(dataDir, hooks);
    if (owned) return owned;
    if (Date.now() > deadline) {
      throw new Error(`AUDIT_DATA_DIR: could not open or reach the embedded database in ${dataDir}`, {
        cause: lastError,
      });
    }
    await sleep(100);
  }
}

function connect(dataDir: string, onClose?: () => Promise<void>): Promise<Database> {
  return openPostgres(
    { host: dataDir, port: 5432, user: "postgres", database: "postgres" },
    {
      mode: "embedded",
      label: `embedded database (${getEmbeddedSocketPath(dataDir)})`,
      onClose,
      inlineParams: true,
    },
  );
}

async function becomeOwner(dataDir: string, hooks: OpenHooks): Promise<Database | null> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path.join(dataDir, "pglite"), {
      realpath: false,
      lockfilePath: path.join(dataDir, "pglite.owner.lock"),
      stale: 10_000,
      update: 2_000,
      retries: 0,
      // Another process took the lock over after ours went stale: stop serving at once.
      onCompromised: () => undefined,
    });
  } catch {
    return null; // another process owns it and is still alive
  }
  const socketPath = getEmbeddedSocketPath(dataDir);
  let server: EmbeddedServer;
  try {
    server = await serveEmbedded({ pgliteDir: path.join(dataDir, "pglite"), socketPath }, hooks.onLaunched);
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
  const shutdown = async () => {
    // Others may be mid-command on our socket (a CLI owner with the dashboard or other CLIs
    // connected): the server serves until they are done, so a handover never cuts a
    // transaction short.
    await server.stop(LINGER_MAX_MS).catch(() => undefined);
    rmSync(socketPath, { force: true });
    await release().catch(() => undefined);
  };
  try {
    return await connect(dataDir, shutdown);
  } catch (error) {
    await shutdown();
    throw error;
  }
}

const CONNECTION_LOST = /ECONNREFUSED|ENOENT|EPIPE|ECONNRESET|Connection terminated|57P01|not queryable/;

/**
 * The embedded database, reopened when its owner goes away: a query that finds the connection
 * gone reopens (taking ownership if nobody else has) and runs once more. Transactions are not
 * replayed: their caller sees the error.
 */
export async function openEmbeddedResilient(dataDir: string, hooks: OpenHooks = {}): Promise<Database> {
  let current = await openEmbedded(dataDir, hooks);
  let reopening: Promise<Database> | null = null;
  const reopen = (stale: Database) => {
    if (current !== stale) return Promise.resolve(current);
    reopening ??= (async () => {
      await stale.close().catch(() => undefined);
      current = await openEmbedded(dataDir);
      reopening = null;
      return current;
    })();
    return reopening;
  };
  const retrying = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const db = current;
    try {
      return await fn(db);
    } catch (error) {
      if (!CONNECTION_LOST.test(`${(error as { code?: string }).code ?? ""} ${(error as Error).message}`))
        throw error;
      return fn(await reopen(db));
    }
  };
  return {
    mode: "embedded",
    query: (text, params) => retrying((db) => db.query(text, params)),
    exec: (text) => retrying((db) => db.exec(text)),
    transaction: (fn) => current.transaction(fn),
    listen: (channel, onPayload) => current.listen(channel, onPayload),
    close: () => current.close(),
  };
}
