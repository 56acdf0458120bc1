import type { Queryable } from "../db";
import type { StepResult } from "./kill-switch-engage";
import type { RestartCheck } from "./restart-checks";

/**
 * The kill switch's history as the view shows it (kill_switch_events): engagements, releases,
 * each engage step's result and each refused release with its restart checks.
 */
export interface KillSwitchEvent {
  id: number;
  at: string;
  action: "engage" | "release" | "step" | "check";
  actor: string;
  reason: string | null;
  detail: Record<string, unknown>;
}

interface EventRow {
  id: string | number;
  at: Date | string;
  action: KillSwitchEvent["action"];
  actor: string;
  reason: string | null;
  detail: Record<string, unknown> | string | null;
}

const toEvent = (row: EventRow): KillSwitchEvent => ({
  id: Number(row.id),
  at: new Date(row.at).toISOString(),
  action: row.action,
  actor: row.actor,
  reason: row.reason,
  detail: (typeof row.detail === "string" ? JSON.parse(row.detail) : row.detail) ?? {},
});

/** Newest first. */
export async function listKillSwitchEvents(db: Queryable, limit = 100): Promise<KillSwitchEvent[]> {
  const { rows } = await db.query<EventRow>(
    "select id, at, action, actor, reason, detail from kill_switch_events order by id desc limit $1",
    [limit],
  );
  return rows.map(toEvent);
}

/** The latest engagement and the results of its steps, as recorded. */
export async function getLastEngagement(
  db: Queryable,
): Promise<{ engage: KillSwitchEvent; steps: StepResult[] } | null> {
  const { rows } = await db.query<EventRow>(
    `select id, at, action, actor, reason, detail from kill_switch_events
      where id >= coalesce((select max(id) from kill_switch_events where action = 'engage'), 0)
        and action in ('engage', 'step')
      order by id`,
  );
  const [first, ...rest] = rows.map(toEvent);
  if (!first || first.action !== "engage") return null;
  return { engage: first, steps: rest.map((e) => e.detail as unknown as StepResult) };
}

/** The latest run of the restart checks: a refused release ('check') or a release. */
export async function getLastRestartChecks(
  db: Queryable,
): Promise<{ at: string; actor: string; released: boolean; checks: RestartCheck[] } | null> {
  const { rows } = await db.query<EventRow>(
    `select id, at, action, actor, reason, detail from kill_switch_events
      where action in ('release', 'check') order by id desc limit 1`,
  );
  const row = rows[0];
  if (!row) return null;
  const event = toEvent(row);
  const checks = Array.isArray(event.detail.checks) ? (event.detail.checks as RestartCheck[]) : [];
  return { at: event.at, actor: event.actor, released: event.action === "release", checks };
}
