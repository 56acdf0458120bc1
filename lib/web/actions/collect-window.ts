"use server";

import { getEventPaths } from "../../config/paths";
import { getSettings } from "../../config/settings";
import { callAction, type ActionResult } from "../action-client";
import type { CollectJob } from "../collect-jobs";
import { startCollectWindowAction } from "../collect-start";

export interface CollectWindowRequest {
  windowDays: number;
  dryRun: boolean;
}

/**
 * Starts collecting every completed run of the last `windowDays` days for the signed-in operator
 * and answers once it has begun; the work goes on in this server process (the kill switch stops
 * it). Only the window and the dry-run flag come from the browser; everything else is settings.
 */
export async function startCollectWindow(request: CollectWindowRequest): Promise<ActionResult<CollectJob>> {
  const settings = getSettings();
  const asked: Partial<CollectWindowRequest> = typeof request === "object" && request !== null ? request : {};
  return callAction(
    startCollectWindowAction({
      settings,
      paths: getEventPaths(settings),
      log: (line) => console.log(`collect: ${line}`),
    }),
    { windowDays: asked.windowDays, dryRun: asked.dryRun },
  );
}
