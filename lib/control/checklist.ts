import type { Queryable } from "../db";
import type { ChecklistGateFacts } from "../observer/quality-gate";
import { verifyStep, type EventFiles, type Verification } from "./checklist-verify";
import "./checklist-verifiers";
import type { Role } from "./roles";

/**
 * The handbook checklist (DESIGN §12) of one event: the twelve steps with their roles, and each
 * step's state. A stored row with source "manual" is a person's word and wins; with no row, or a
 * row with source "auto" (a person handed the step back to the evidence), the evidence decides:
 * the step is ticked exactly while its verifier says so.
 */
export const DECISION_STEP = 12;

export interface ChecklistStep {
  step: number;
  title: string;
  role: Role;
  verifiableFrom: string | null;
  checked: boolean;
  /** Who decides the state: a person (manual), the evidence (auto), or nobody yet (null). */
  source: "manual" | "auto" | null;
  by: string | null;
  at: string | null;
  note: string | null;
  verification: Verification;
}

export interface Checklist {
  event: string;
  steps: ChecklistStep[];
}

interface StepRow {
  step: number;
  title: string;
  role: Role;
  verifiable_from: string | null;
  checked: boolean | null;
  source: "manual" | "auto" | null;
  changed_by: string | null;
  changed_at: Date | string | null;
  note: string | null;
}

export const SYSTEM_ACTOR = "system";

export async function getChecklist(db: Queryable, event: string, files: EventFiles): Promise<Checklist> {
  const { rows } = await db.query<StepRow>(
    `select s.step, s.title, s.role, s.verifiable_from, c.checked, c.source, c.changed_by, c.changed_at, c.note
       from checklist_steps s left join checklist_state c on c.step = s.step and c.event = $1
      order by s.step`,
    [event],
  );
  const steps = await Promise.all(
    rows.map(async (row) => resolveStep(row, await verifyStep(row.step, { db, event, files }))),
  );
  return { event, steps };
}

function resolveStep(row: StepRow, verification: Verification): ChecklistStep {
  const base = {
    step: row.step,
    title: row.title,
    role: row.role,
    verifiableFrom: row.verifiable_from,
    verification,
  };
  const at = row.changed_at === null ? null : new Date(row.changed_at).toISOString();
  if (row.source === "manual") {
    return {
      ...base,
      checked: row.checked === true,
      source: "manual",
      by: row.changed_by,
      at,
      note: row.note,
    };
  }
  if (verification.status === "verified") {
    return { ...base, checked: true, source: "auto", by: SYSTEM_ACTOR, at: verification.at, note: row.note };
  }
  // Handed back to the evidence, which does not verify it (any more): open, and the row says who.
  if (row.source === "auto")
    return { ...base, checked: false, source: "auto", by: row.changed_by, at, note: row.note };
  return { ...base, checked: false, source: null, by: null, at: null, note: null };
}

/** What the quality gate needs: open steps (all but the decision step) and hand ticks the evidence contradicts. */
export function checklistGateFacts(checklist: Checklist): ChecklistGateFacts {
  const required = checklist.steps.filter((s) => s.step !== DECISION_STEP);
  return {
    open: required.filter((s) => !s.checked).map(({ step, title }) => ({ step, title })),
    unverifiedTicks: required
      .filter((s) => s.checked && s.source === "manual" && s.verification.status === "unverified")
      .map(({ step, title, verification }) => ({
        step,
        title,
        detail: verification.status === "unverified" ? verification.detail : "",
      })),
  };
}

/**
 * The steps a role may set: its own, or every step for a reviewer (and the CLI's service actor).
 * Observers only watch (issue 3): the observer-role steps 7–9 are the observer run's, ticked by
 * the evidence or a reviewer. The RLS policy on checklist_state says the same.
 */
export function maySetStep(role: Role | "service", step: Pick<ChecklistStep, "role">): boolean {
  if (role === "observer") return false;
  return role === "service" || role === "reviewer" || role === step.role;
}
