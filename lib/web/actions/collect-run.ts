"use server";

import { getEventPaths } from "../../config/paths";
import { getSettings } from "../../config/settings";
import { callAction, type ActionResult } from "../action-client";
import type { CollectJob } from "../collect-jobs";
import { startCollectRunAction } from "../collect-start";

export interface CollectRunRequest {
  runId: string;
  dryRun: boolean;
}

/**
 * Starts collecting one run for the signed-in operator and answers once it has begun (or failed
 * early); the downloads go on in this server process and show in every dashboard live. Only the
 * run id and the dry-run flag come from the browser: GitHub's URL, token and repository, the event
 * and its files are the server's settings.
 */
export async function startCollectRun(request: CollectRunRequest): Promise<ActionResult<CollectJob>> {
  const settings = getSettings();
  const asked: Partial<CollectRunRequest> = typeof request === "object" && request !== null ? request : {};
  return callAction(
    startCollectRunAction({
      settings,
      paths: getEventPaths(settings),
      log: (line) => console.log(`collect: ${line}`),
    }),
    { runId: asked.runId, dryRun: asked.dryRun },
  );
}
