import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { TextStatement } from "./text-statements";
import type { Queryable } from "./types";

/**
 * One mirror of an event at a time (runs-mirror.ts writes in several transactions). The lease is
 * a token and an expiry on the event's runs_mirror_state row: taken when free or expired, renewed
 * by every batch, given back by the last one. A process that dies holding it delays the next
 * mirror by LEASE_SECONDS at most. (Advisory locks would not do: the embedded database serves
 * every connection from one session, where they never conflict.)
 */
export const LEASE_SECONDS = 120;

export interface MirrorState {
  digest: string;
  run_count: number;
  /** null: unknown (a mirror under way or cut short), so the next mirror starts over. */
  fingerprints: string | null;
}

export interface Lease {
  token: string;
  state: MirrorState;
}

export async function acquireMirrorLease(
  db: Queryable,
  sql: TextStatement,
  event: string,
  options: { timeoutMs?: number } = {},
): Promise<Lease> {
  const token = randomUUID();
  const deadline = Date.now() + (options.timeoutMs ?? LEASE_SECONDS * 1000);
  for (;;) {
    const { rows } = await sql<MirrorState>(
      db,
      `insert into runs_mirror_state (event, lease_token, lease_until)
       values ($1, $2, now() + make_interval(secs => $3::integer))
       on conflict (event) do update set lease_token = excluded.lease_token, lease_until = excluded.lease_until
         where runs_mirror_state.lease_until is null or runs_mirror_state.lease_until < now()
       returning digest, run_count, fingerprints`,
      [event, token, String(LEASE_SECONDS)],
    );
    const state = rows[0];
    if (state) return { token, state };
    if (Date.now() > deadline) {
      throw new Error(
        `runs mirror of event ${event}: another process has been mirroring it for over ${Math.round((options.timeoutMs ?? LEASE_SECONDS * 1000) / 1000)} s; try again later`,
      );
    }
    await sleep(100);
  }
}

/** Renews the lease inside a batch's transaction; throws when it was lost (expired and taken). */
export async function renewMirrorLease(tx: Queryable, sql: TextStatement, event: string, token: string) {
  const { rows } = await sql(
    tx,
    `update runs_mirror_state set lease_until = now() + make_interval(secs => $3::integer)
      where event = $1 and lease_token = $2 returning 1 as ok`,
    [event, token, String(LEASE_SECONDS)],
  );
  if (rows.length === 0)
    throw new Error(`runs mirror of event ${event}: the mirror lease expired and was taken`);
}

export async function releaseMirrorLease(db: Queryable, sql: TextStatement, event: string, token: string) {
  await sql(
    db,
    "update runs_mirror_state set lease_token = null, lease_until = null where event = $1 and lease_token = $2",
    [event, token],
  );
}
