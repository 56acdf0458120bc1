import path from "node:path";
import { z } from "zod";
import { ForbiddenError, InputError } from "../errors";
import { hasSecretShape } from "../notify/patterns";
import { defineAction } from "./action";
import { DECISION_STEP, getChecklist, maySetStep, type Checklist, type ChecklistStep } from "./checklist";
import { writeChecklistSection } from "./checklist-markdown";
import { describeVerification, eventFilesSchema } from "./checklist-verify";

/**
 * Ticking and unticking a checklist step (DESIGN §12). The role rule is the RLS policy's
 * (checklist_state_insert): a step's own role or a reviewer; checked here too, because the
 * embedded database runs the app's queries with the owner's rights.
 */
export const checklistNoteSchema = z
  .string()
  .trim()
  .max(500, "at most 500 characters")
  .refine((n) => !hasSecretShape(n), { message: "no secret-shaped strings (tokens, JWTs)" });

export const setChecklistStepSchema = z.object({
  event: z.string().min(1, "the event name"),
  /** Set by the server or the CLI from settings, never taken from a browser. */
  files: eventFilesSchema,
  step: z.number().int("a step number").min(1, "a step number from 1").max(99, "a step number"),
  checked: z.boolean(),
  note: checklistNoteSchema.default(""),
});

export interface SetChecklistStepResult {
  step: ChecklistStep;
  summaryFile: string;
  /** Set when the database change stands but the markdown summary could not be written. */
  warning: string | null;
}

export const setChecklistStepAction = defineAction({
  name: "checklist.set",
  permission: "checklist.set",
  schema: setChecklistStepSchema,
  run: async ({ actor, input, db, signal }): Promise<SetChecklistStepResult> => {
    const load = () => getChecklist(db, input.event, input.files);
    const current = (await load()).steps.find((s) => s.step === input.step);
    if (!current) throw new InputError(`step: expected a checklist step from 1 to 12, got ${input.step}`);
    if (!maySetStep(actor.role, current)) {
      const who =
        current.role === "observer"
          ? "a reviewer (observers only watch)"
          : `the ${current.role} role or a reviewer`;
      throw new ForbiddenError(
        `The ${actor.role} role may not set step ${current.step} (${current.title}): only ${who} may`,
      );
    }
    const verified = current.verification.status === "verified";
    if (!input.checked && verified && input.note === "") {
      throw new InputError(
        `note: expected a note saying why step ${current.step} is unticked, because the evidence ticks it ` +
          `(${describeVerification(current.verification)})`,
      );
    }
    if (input.checked && current.step === DECISION_STEP && !verified) {
      throw new InputError(
        `step ${DECISION_STEP} ticks itself when a Go/No-Go decision counts; record one on the Go/No-Go view (${describeVerification(current.verification)})`,
      );
    }
    // Ticking a step the evidence verifies hands it back to the evidence: it stays ticked only while verified.
    const source = input.checked && verified ? "auto" : "manual";
    await db.query(
      `insert into checklist_state (event, step, checked, source, changed_by, changed_at, note)
       values ($1, $2, $3, $4, $5, now(), $6)
       on conflict (event, step) do update set checked = excluded.checked, source = excluded.source,
         changed_by = excluded.changed_by, changed_at = excluded.changed_at, note = excluded.note`,
      [input.event, input.step, input.checked, source, actor.email, input.note === "" ? null : input.note],
    );

    let after: Checklist | null = null;
    let warning: string | null = null;
    try {
      await writeChecklistSection(input.files.observerSummary, async () => (after = await load()), {
        signal,
      });
    } catch (error) {
      warning = `Saved, but ${path.basename(input.files.observerSummary)} was not updated: ${(error as Error).message}`;
    }
    const step = ((after as Checklist | null) ?? (await load())).steps.find((s) => s.step === input.step);
    if (!step) throw new Error(`checklist step ${input.step} vanished after it was set`);
    return { step, summaryFile: input.files.observerSummary, warning };
  },
  audit: (input, output) => ({
    target: `checklist step ${input.step}`,
    detail: {
      event: input.event,
      step: input.step,
      checked: input.checked,
      source: output.step.source,
      ...(input.note ? { note: input.note } : {}),
      ...(output.warning ? { warning: output.warning } : {}),
    },
  }),
});
