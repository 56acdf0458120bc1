import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import type { Queryable, Database } from "../db";
import { tripKillSwitch, type AutoTripResult } from "../control/auto-trip";

/**
 * The automatic trip of DESIGN §7: "3 consecutive 5xx from the Supabase upsert within 5 minutes".
 * The answers are retry_history's rows of service 'supabase', operation 'upsert', so every
 * process that upserts counts into one streak.
 *
 * Decisions:
 * - An answer is one request's outcome (every attempt, retries included), newest by id.
 * - A connection reset or timeout (no status) counts as a 5xx: the policy treats it as one, and
 *   an unreachable Supabase is the same outage as one answering 503.
 * - 2xx, 409 and every 4xx (429 included) break the streak.
 * - Within 5 minutes: the oldest of the three is at most 5 minutes before the newest.
 * - A release starts a new count: answers from before the switch was last released do not count
 *   (the restart checks proved Supabase answering since).
 */
export const UPSERT_STREAK = { length: 3, windowMs: 5 * 60_000 } as const;

export interface UpsertAnswer {
  at: Date;
  /** null: no response (connection reset, timeout). */
  statusCode: number | null;
}

export function countsAsServerError(answer: UpsertAnswer): boolean {
  const code = answer.statusCode;
  return code === null || (code >= 500 && code <= 599);
}

/** The streak, oldest first, when the newest answers (newest first) complete one; else null. */
export function findServerErrorStreak(newestFirst: readonly UpsertAnswer[]): UpsertAnswer[] | null {
  const recent = newestFirst.slice(0, UPSERT_STREAK.length);
  if (recent.length < UPSERT_STREAK.length || !recent.every(countsAsServerError)) return null;
  const times = recent.map((a) => a.at.getTime());
  if (Math.max(...times) - Math.min(...times) > UPSERT_STREAK.windowMs) return null;
  return [...recent].reverse();
}

/** The newest upsert answers in retry_history since the last release, newest first. */
export async function readRecentUpsertAnswers(
  db: Queryable,
  limit: number = UPSERT_STREAK.length,
): Promise<UpsertAnswer[]> {
  const { rows } = await db.query<{ at: Date | string; status_code: number | null }>(
    `select at, status_code from retry_history
      where service = 'supabase' and operation = 'upsert'
        and at > coalesce((select changed_at from kill_switch where id and state = 'released'), '-infinity')
      order by id desc limit $1`,
    [limit],
  );
  return rows.map((r) => ({ at: new Date(r.at), statusCode: r.status_code }));
}

function describeStreak(streak: readonly UpsertAnswer[]): string {
  const codes = streak.map((a) => (a.statusCode === null ? "connection failure" : String(a.statusCode)));
  const first = streak[0]?.at.toISOString() ?? "";
  const last = streak.at(-1)?.at.toISOString() ?? "";
  return `answers ${codes.join(", ")} from ${first} to ${last} (retry_history, service supabase)`;
}

/** Reads the streak and, when it holds, engages the kill switch; null when it does not hold. */
export async function tripOnUpsertStreak(input: {
  db: Database;
  settings: Settings;
  paths: EventPaths;
  fetchImpl?: typeof fetch;
}): Promise<AutoTripResult | null> {
  const streak = findServerErrorStreak(await readRecentUpsertAnswers(input.db));
  if (!streak) return null;
  return tripKillSwitch({ ...input, condition: "supabase_5xx_streak", detail: describeStreak(streak) });
}
