import type { Metadata } from "next";
import { ChecklistTable, type ChecklistRow } from "@/components/checklist/checklist-table";
import { PageHeader } from "@/components/ui/page-header";
import { getSettings } from "@/lib/config/settings";
import { DECISION_STEP, getChecklist, maySetStep, type ChecklistStep } from "@/lib/control/checklist";
import { describeVerification } from "@/lib/control/checklist-verify";
import { getKillSwitchStatus } from "@/lib/control/kill-switch";
import { isAllowed } from "@/lib/control/roles";
import { getDatabase } from "@/lib/db";
import { getEventContext } from "@/lib/web/event-data";
import { getSessionActor } from "@/lib/web/session";
import { ControlNotice } from "@/components/decision/control-notice";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Checklist" };

export default async function ChecklistPage() {
  const ctx = getEventContext();
  const db = await getDatabase(getSettings());
  const [actor, checklist, killSwitch] = await Promise.all([
    getSessionActor(),
    getChecklist(db, ctx.event, ctx.paths),
    getKillSwitchStatus(db),
  ]);
  const engaged = killSwitch.state === "engaged";
  const mayAct = actor !== null && !engaged && isAllowed(actor, "checklist.set");
  const rows: ChecklistRow[] = checklist.steps.map((s) => ({
    step: s.step,
    title: s.title,
    role: s.role,
    checked: s.checked,
    source: s.source,
    by: s.by,
    at: s.at,
    note: s.note,
    verification: describeVerification(s.verification),
    verified: s.verification.status === "verified",
    editable: mayAct && maySetStep(actor.role, s) && !waitsForDecision(s),
  }));
  const done = rows.filter((r) => r.checked).length;
  const editable = rows.filter((r) => r.editable).map((r) => r.step);

  return (
    <>
      <PageHeader title="Checklist">
        The handbook&apos;s running order for event <code className="text-[13px]">{ctx.event}</code>:{" "}
        <span data-testid="checklist-progress">
          {done} of {rows.length} steps done
        </span>
        . Every change is written to <code className="text-[13px]">AUTO_OBSERVER_SUMMARY.md</code> and the
        audit log.
      </PageHeader>
      <ControlNotice
        actor={actor}
        killSwitch={killSwitch}
        canAct={editable.length > 0}
        acting={`${actor?.role === "reviewer" ? "As a reviewer you may set every step" : `You may set your role's steps (${editable.join(", ")})`}. Unticking a step the evidence verifies needs a note; step ${DECISION_STEP} ticks itself when a decision is recorded.`}
        watching="Each step is set by its own role or a reviewer; you can follow every change here."
      />
      <ChecklistTable rows={rows} />
    </>
  );
}

/** Step 12 is ticked by a decision, not by hand: no Tick control until a decision verifies it. */
function waitsForDecision(step: ChecklistStep): boolean {
  return step.step === DECISION_STEP && !step.checked && step.verification.status !== "verified";
}
