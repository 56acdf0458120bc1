import { promises as fs } from "node:fs";
import { afterEach, beforeEach } from "vitest";
import type { Database } from "../../lib/db";
import { makeCollectRoot, OPERATOR, type CollectSetup } from "./collect-fixture";
import { startGitHubServer, type GitHubServer, type GitHubServerOptions } from "./github-server";
import { openTestDatabase } from "./test-database";

/**
 * What every collection test file sets up the same way: a fresh test database per test, the local
 * GitHub server and an event root once start() is called, all closed and removed after the test.
 */
export interface CollectTestBed {
  readonly db: Database;
  readonly server: GitHubServer | undefined;
  readonly setup: CollectSetup | undefined;
  start(options: GitHubServerOptions): Promise<{ server: GitHubServer; setup: CollectSetup }>;
  /** The collector's dependencies for the started root, as the operator. */
  deps<P>(onProgress?: (progress: P) => void): {
    settings: CollectSetup["settings"];
    paths: CollectSetup["paths"];
    db: Database;
    actor: typeof OPERATOR;
    onProgress: ((progress: P) => void) | undefined;
    log: () => undefined;
  };
}

export function setUpCollectTests(): CollectTestBed {
  let db: Database | undefined;
  let server: GitHubServer | undefined;
  let setup: CollectSetup | undefined;
  beforeEach(async () => {
    db = await openTestDatabase();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await db?.close();
    if (setup) await fs.rm(setup.root, { recursive: true, force: true });
    setup = undefined;
  });
  const open = () => {
    if (!db) throw new Error("the test database opens in beforeEach");
    return db;
  };
  return {
    get db() {
      return open();
    },
    get server() {
      return server;
    },
    get setup() {
      return setup;
    },
    async start(options) {
      server = await startGitHubServer(options);
      setup = await makeCollectRoot(server);
      return { server, setup };
    },
    deps(onProgress) {
      if (!setup) throw new Error("start() first");
      return {
        settings: setup.settings,
        paths: setup.paths,
        db: open(),
        actor: OPERATOR,
        onProgress,
        log: () => undefined,
      };
    },
  };
}
