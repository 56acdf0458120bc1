import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import type { Database } from "../db";
import { KillSwitchEngagedError } from "../errors";
import { runAction } from "./action";
import { engageKillSwitchAction } from "./kill-switch-actions";
import type { StepResult } from "./kill-switch-engage";
import type { Actor } from "./roles";

/**
 * The automatic trips of DESIGN §7. Each engages through the commander's own action (same
 * sequence, same audit row), as this actor, so the history shows the system pressed the button.
 */
export const AUTO_TRIP_CONDITIONS = {
  supabase_5xx_streak: "3 consecutive 5xx answers from the Supabase upsert within 5 minutes",
  manifest_unparseable: "the manifest fails to parse",
  run_status_conflict: "one run recorded as both success and failure",
} as const;

export type AutoTripCondition = keyof typeof AUTO_TRIP_CONDITIONS;

export const AUTO_TRIP_ACTOR: Actor = {
  id: "system:auto-trip",
  email: "system:auto-trip",
  role: "service",
  via: "cli",
};

export interface AutoTripInput {
  db: Database;
  settings: Settings;
  paths: EventPaths;
  condition: AutoTripCondition;
  /** What was seen (a file, run ids, status codes): no secrets, no response bodies. */
  detail: string;
  fetchImpl?: typeof fetch;
}

export type AutoTripResult = { tripped: true; steps: StepResult[] } | { tripped: false; reason: string };

/** Engages the kill switch for `condition`; an engagement already in place is left as it is. */
export async function tripKillSwitch(input: AutoTripInput): Promise<AutoTripResult> {
  const { db, settings, paths, condition, detail, fetchImpl } = input;
  const reason = `automatic trip (${condition}): ${AUTO_TRIP_CONDITIONS[condition]}; ${detail}`.slice(0, 500);
  try {
    const steps = await runAction(engageKillSwitchAction({ settings, paths, fetchImpl }), {
      actor: AUTO_TRIP_ACTOR,
      // A manifest that no longer parses is rolled back to its last good backup (DESIGN §7 step 4).
      input: { reason, rollbackManifest: condition === "manifest_unparseable" },
      db,
    });
    return { tripped: true, steps };
  } catch (error) {
    if (error instanceof KillSwitchEngagedError) return { tripped: false, reason: error.message };
    throw error;
  }
}
