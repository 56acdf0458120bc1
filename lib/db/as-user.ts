import type { Database, Queryable } from "./types";

export interface JwtClaims {
  sub: string;
  email?: string;
  role?: "authenticated" | "anon";
  app_metadata?: { role?: string };
  [key: string]: unknown;
}

/**
 * Runs fn in one transaction as Supabase runs a client's request: role `authenticated` (or
 * `anon`) with the JWT claims in `request.jwt.claims`, so row-level security applies to the app's
 * own writes too, on PGlite and on a Postgres server alike.
 */
export async function withClaims<T>(
  db: Database,
  claims: JwtClaims | null,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims ?? {})]);
    await tx.exec(claims ? "set local role authenticated" : "set local role anon");
    return fn(tx);
  });
}
