"use server";

import { getEventPaths } from "../../config/paths";
import { getSettings } from "../../config/settings";
import { recordDecisionAction, type RecordDecisionResult } from "../../control/decisions-actions";
import { callAction, type ActionResult } from "../action-client";

export interface RecordDecisionRequest {
  decision: "go" | "no_go";
  rationale: string;
  override: boolean;
}

/**
 * Records Go/No-Go for the signed-in reviewer. Only the decision, rationale and override come
 * from the browser; the gate is recomputed on the server, and the two-reviewer rule comes from
 * AUDIT_GO_REQUIRES_TWO_REVIEWERS.
 */
export async function recordDecision(
  request: RecordDecisionRequest,
): Promise<ActionResult<RecordDecisionResult>> {
  const settings = getSettings();
  const asked: Partial<RecordDecisionRequest> =
    typeof request === "object" && request !== null ? request : {};
  return callAction(recordDecisionAction, {
    decision: asked.decision,
    rationale: asked.rationale,
    override: asked.override,
    event: settings.AUDIT_EVENT,
    files: getEventPaths(settings),
    requireTwoReviewers: settings.AUDIT_GO_REQUIRES_TWO_REVIEWERS,
  });
}
