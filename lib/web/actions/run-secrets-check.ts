"use server";

import { getSettings } from "../../config/settings";
import type { SecretsCheckResult } from "../../control/secrets-check";
import { secretsCheckAction } from "../../control/secrets-check-actions";
import { callAction, type ActionResult } from "../action-client";

/**
 * Runs and records the secrets check for the signed-in person. Nothing comes from the browser: the
 * settings are the server's own, and the answer holds names with present/missing only.
 */
export async function runSecretsCheck(): Promise<ActionResult<SecretsCheckResult>> {
  return callAction(secretsCheckAction(getSettings()), {});
}
