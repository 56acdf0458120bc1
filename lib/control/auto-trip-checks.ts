import { promises as fs } from "node:fs";
import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import type { Database } from "../db";
import { KillSwitchEngagedError } from "../errors";
import { parseJsonStrict } from "../evidence/json-strict";
import { createMasker } from "../notify/mask";
import { describeStatusConflicts, type StatusConflict } from "../evidence/run-status-conflict";
import {
  AUTO_TRIP_CONDITIONS,
  tripKillSwitch,
  type AutoTripCondition,
  type AutoTripResult,
} from "./auto-trip";

/**
 * The conditions behind two automatic trips (DESIGN §7), checked where the evidence is read:
 * the observer report, `manifest-atomic --check`, the runs import. Each fires from its condition
 * only: a manifest that parses (whatever else is wrong with it) or is missing trips nothing.
 */
export type ManifestProbe =
  { state: "ok" } | { state: "missing" } | { state: "unparseable"; problem: string };

/** Does `_manifest.json` parse as JSON without duplicate keys? (Schema problems are not parse failures.) */
export async function probeManifest(file: string): Promise<ManifestProbe> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { state: "missing" };
    throw error;
  }
  try {
    parseJsonStrict(text, file);
    return { state: "ok" };
  } catch (error) {
    return { state: "unparseable", problem: (error as Error).message };
  }
}

export interface TripContext {
  db: Database;
  settings: Settings;
  paths: EventPaths;
  fetchImpl?: typeof fetch;
}

/** A refusal because this very call tripped the kill switch (exit code 3, like any engagement). */
export class AutoTrippedError extends KillSwitchEngagedError {
  constructor(
    readonly condition: AutoTripCondition,
    readonly detail: string,
    readonly trip: AutoTripResult,
  ) {
    super(
      `Refused: ${AUTO_TRIP_CONDITIONS[condition]} (${detail}); the kill switch is engaged ` +
        `(automatic trip ${condition}${trip.tripped ? "" : `, already engaged: ${trip.reason}`}). ` +
        "The commander releases it with scripts/phase4-killswitch.sh release once the cause is fixed.",
    );
  }
}

/** Trips when the manifest does not parse; returns the refusal to throw, or null when it parses or is missing. */
export async function tripIfManifestUnparseable(ctx: TripContext): Promise<AutoTrippedError | null> {
  const probe = await probeManifest(ctx.paths.manifest);
  if (probe.state !== "unparseable") return null;
  const detail = describeParseFailure(probe.problem);
  const trip = await tripKillSwitch({ ...ctx, condition: "manifest_unparseable", detail });
  return new AutoTrippedError("manifest_unparseable", detail, trip);
}

/**
 * Where the parse failed, without the file's content: the detail lands in the kill switch log and
 * in Slack, and JSON.parse's own message quotes the text around the error.
 */
function describeParseFailure(problem: string): string {
  const at = /at line (\d+), column (\d+)/.exec(problem);
  const where = at ? ` at line ${at[1]}, column ${at[2]}` : "";
  return problem.includes("duplicate key")
    ? `_manifest.json: a duplicate key${where}`
    : `_manifest.json: not valid JSON${where}`;
}

export async function tripOnStatusConflicts(
  ctx: TripContext,
  conflicts: readonly StatusConflict[],
): Promise<AutoTrippedError> {
  // Run ids come from the file: masked like anything else that leaves the machine (Slack, logs).
  const detail = createMasker(ctx.settings)(`RUNS_SUMMARY.json: ${describeStatusConflicts(conflicts)}`);
  const trip = await tripKillSwitch({ ...ctx, condition: "run_status_conflict", detail });
  return new AutoTrippedError("run_status_conflict", detail, trip);
}
