"use server";

import { getEventPaths } from "../../config/paths";
import { getSettings } from "../../config/settings";
import { setChecklistStepAction, type SetChecklistStepResult } from "../../control/checklist-actions";
import { callAction, type ActionResult } from "../action-client";

export interface SetChecklistStepRequest {
  step: number;
  checked: boolean;
  note?: string;
}

/**
 * Ticks or unticks a checklist step for the signed-in person. A public POST endpoint: only the
 * step, the tick and the note come from the browser; the event and its files come from settings,
 * and callAction checks origin, session, role, kill switch and input before anything changes.
 */
export async function setChecklistStep(
  request: SetChecklistStepRequest,
): Promise<ActionResult<SetChecklistStepResult>> {
  const settings = getSettings();
  const asked: Partial<SetChecklistStepRequest> =
    typeof request === "object" && request !== null ? request : {};
  return callAction(setChecklistStepAction, {
    step: asked.step,
    checked: asked.checked,
    note: asked.note,
    event: settings.AUDIT_EVENT,
    files: getEventPaths(settings),
  });
}
