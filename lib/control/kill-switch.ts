import type { Database, Queryable } from "../db";
import { KillSwitchEngagedError } from "../errors";
import { appendAuditEntry } from "./audit-log";
import type { Actor } from "./roles";

/**
 * The kill switch (DESIGN §7): armed → engaged (who, when, why) → released. The state lives in
 * the database so the dashboard, the CLI and the workflow all see the same switch.
 */
export type KillSwitchState = "armed" | "engaged" | "released";

export interface KillSwitchStatus {
  state: KillSwitchState;
  changedBy: string | null;
  changedAt: string;
  reason: string | null;
}

export async function getKillSwitchStatus(db: Queryable): Promise<KillSwitchStatus> {
  const { rows } = await db.query<{
    state: KillSwitchState;
    changed_by: string | null;
    changed_at: Date | string;
    reason: string | null;
  }>("select state, changed_by, changed_at, reason from kill_switch where id");
  const row = rows[0];
  if (!row) return { state: "armed", changedBy: null, changedAt: new Date(0).toISOString(), reason: null };
  return {
    state: row.state,
    changedBy: row.changed_by,
    changedAt: new Date(row.changed_at).toISOString(),
    reason: row.reason,
  };
}

export function describeEngagement(status: KillSwitchStatus): string {
  return `the kill switch is engaged (by ${status.changedBy ?? "unknown"} at ${status.changedAt}: ${status.reason ?? "no reason given"})`;
}

/** Every mutation calls this first; exit code 3 on the CLI, a refusal in the UI. */
export async function throwIfKillSwitchEngaged(db: Queryable): Promise<void> {
  const status = await getKillSwitchStatus(db);
  if (status.state === "engaged") {
    throw new KillSwitchEngagedError(
      `Refused: ${describeEngagement(status)}. The commander releases it with scripts/phase4-killswitch.sh release.`,
    );
  }
}

/** Persists the new state, its history row and the audit entry in one transaction. */
export async function setKillSwitchState(
  db: Database,
  actor: Actor,
  state: Exclude<KillSwitchState, "armed">,
  reason: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      "update kill_switch set state = $1, changed_by = $2, changed_at = now(), reason = $3 where id",
      [state, actor.email, reason],
    );
    await tx.query(
      "insert into kill_switch_events (action, actor, reason, detail) values ($1, $2, $3, $4::jsonb)",
      [state === "engaged" ? "engage" : "release", actor.email, reason, JSON.stringify(detail)],
    );
    await appendAuditEntry(tx, {
      actor: actor.email,
      role: actor.role,
      // The state change itself; an action that caused it (killswitch.engage/release) audits its
      // own outcome after it, and an automatic trip has only this entry.
      action: state === "engaged" ? "killswitch.engaged" : "killswitch.released",
      detail: { reason, ...detail },
    });
  });
}

/**
 * Aborts long work (retry waits, downloads, loops) within `intervalMs` of an engagement made by any
 * process: polls the switch and aborts the returned signal. Call stop() when the work ends.
 */
export function watchKillSwitch(db: Queryable, intervalMs = 250): { signal: AbortSignal; stop: () => void } {
  const controller = new AbortController();
  const timer = setInterval(() => {
    getKillSwitchStatus(db)
      .then((status) => {
        if (status.state === "engaged" && !controller.signal.aborted) {
          controller.abort(new KillSwitchEngagedError(`Stopped: ${describeEngagement(status)}`));
        }
      })
      .catch(() => undefined);
  }, intervalMs);
  timer.unref();
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}
