"use server";

import { getEventPaths } from "../../config/paths";
import { getSettings } from "../../config/settings";
import { engageKillSwitchAction } from "../../control/kill-switch-actions";
import type { StepResult } from "../../control/kill-switch-engage";
import { callAction, type ActionResult } from "../action-client";

export interface EngageKillSwitchRequest {
  reason: string;
  rollbackManifest: boolean;
}

/**
 * Engages the kill switch for the signed-in commander. Only the reason and the rollback choice
 * come from the browser; the event folder comes from settings. Returns each step's result.
 */
export async function engageKillSwitch(
  request: EngageKillSwitchRequest,
): Promise<ActionResult<StepResult[]>> {
  const settings = getSettings();
  const asked: Partial<EngageKillSwitchRequest> =
    typeof request === "object" && request !== null ? request : {};
  return callAction(engageKillSwitchAction({ settings, paths: getEventPaths(settings) }), {
    reason: asked.reason,
    rollbackManifest: asked.rollbackManifest,
  });
}
