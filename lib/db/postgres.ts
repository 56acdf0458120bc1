import pg from "pg";

// node-postgres's own conversion of a parameter to its text form (Dates, arrays, JSON, Buffers).
const { prepareValue } = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils;
import type { Database, DatabaseMode, Queryable } from "./types";

/**
 * A Postgres server reached by DATABASE_URL (e.g. the Supabase project's own database), or the
 * embedded database's socket (lib/db/embedded.ts), through node-postgres.
 */
export async function openPostgres(
  config: string | pg.PoolConfig,
  options: {
    mode?: DatabaseMode;
    label?: string;
    onClose?: () => Promise<void>;
    inlineParams?: boolean;
  } = {},
): Promise<Database> {
  const label = options.label ?? "DATABASE_URL";
  const pool = new pg.Pool({
    ...(typeof config === "string" ? { connectionString: config } : config),
    max: options.mode === "embedded" ? 4 : 10,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client dropped by the server (restart, admin shutdown) is removed from the pool;
  // without this handler pg would crash the process with an unhandled 'error' event.
  pool.on("error", () => undefined);
  // Fail at start, naming the setting, rather than at the first page view.
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`${label}: could not connect (${(error as Error).message})`, { cause: error });
  }
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(text: string, params?: unknown[]) => ({
      rows: (options.inlineParams && params?.length
        ? await q.query(inlineParameters(text, params))
        : await q.query(text, params)
      ).rows as T[],
    }),
    exec: async (text: string) => {
      await q.query(text);
    },
  });
  return {
    mode: options.mode ?? "postgres",
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
    close: async () => {
      await pool.end();
      await options.onClose?.();
    },
  };
}

/**
 * Turns `$n` placeholders into quoted literals, so the query travels as one simple-protocol
 * message. The embedded database's socket serves many clients on one backend and cannot keep
 * their extended-protocol messages (Parse/Bind/Execute) apart; one message per query it can.
 * Values are rendered as node-postgres renders parameters (text) and quoted by its escapeLiteral,
 * so Postgres infers their types from context exactly as it does for parameters.
 */
export function inlineParameters(text: string, params: readonly unknown[]): string {
  return text.replace(/\$(\d+)\b/g, (match, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length)
      throw new Error(`query uses ${match} but has ${params.length} parameter(s)`);
    const prepared = prepareValue(params[index]);
    return prepared === null || prepared === undefined ? "NULL" : pg.escapeLiteral(String(prepared));
  });
}
