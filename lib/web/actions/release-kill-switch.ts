"use server";

import { getEventPaths } from "../../config/paths";
import { getSettings } from "../../config/settings";
import { releaseKillSwitchAction } from "../../control/kill-switch-actions";
import type { ReleaseOutcome } from "../../control/kill-switch-engage";
import { callAction, type ActionResult } from "../action-client";

/**
 * Runs the restart checks for the signed-in commander and releases the kill switch when none
 * fails. Nothing comes from the browser; the outcome lists every check either way.
 */
export async function releaseKillSwitch(): Promise<ActionResult<ReleaseOutcome>> {
  const settings = getSettings();
  return callAction(releaseKillSwitchAction({ settings, paths: getEventPaths(settings) }), {});
}
