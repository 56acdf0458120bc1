import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { Database, Queryable } from "./types";

/**
 * PGlite used in process, for `memory://` throwaway databases (tests). A data directory on disk
 * is opened through lib/db/embedded.ts instead, so several processes can share it.
 */
export async function openPglite(
  dataDir: string,
  options: { loadDataDir?: Blob } = {},
): Promise<Database & { dump: () => Promise<Blob> }> {
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir, options);
  const wrap = (q: Pick<PGlite, "query" | "exec">): Queryable => ({
    query: async <T>(text: string, params?: unknown[]) => ({ rows: (await q.query<T>(text, params)).rows }),
    exec: async (text: string) => {
      await q.exec(text);
    },
  });
  return {
    mode: "embedded",
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    listen: async (channel, onPayload) => {
      const unlisten = await pg.listen(channel, onPayload);
      return () => unlisten();
    },
    close: () => pg.close(),
    dump: () => pg.dumpDataDir("none"),
  };
}
