import pg from "pg";
import type { Database, Queryable } from "./types";

/** A Postgres server reached by DATABASE_URL (e.g. the Supabase project's own database). */
export async function openPostgres(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle client dropped by the server (restart, admin shutdown) is removed from the pool;
  // without this handler pg would crash the process with an unhandled 'error' event.
  pool.on("error", () => undefined);
  // Fail at start, naming the setting, rather than at the first page view.
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`DATABASE_URL: could not connect (${(error as Error).message})`, { cause: error });
  }
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(text: string, params?: unknown[]) => ({
      rows: (await q.query(text, params)).rows as T[],
    }),
    exec: async (text: string) => {
      await q.query(text);
    },
  });
  return {
    mode: "postgres",
    ...wrap(pool),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const result = await fn(wrap(client));
        await client.query("commit");
        return result;
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    listen: async (channel, onPayload) => {
      // LISTEN needs one connection held for as long as the subscription lives.
      const client = await pool.connect();
      const handler = (msg: pg.Notification) => {
        if (msg.channel === channel) onPayload(msg.payload ?? "");
      };
      client.on("notification", handler);
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      return async () => {
        client.off("notification", handler);
        await client.query(`unlisten ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
        client.release();
      };
    },
    close: () => pool.end(),
  };
}
