import type { Queryable } from "../db";
import { computeQualityGate, type KpiGateFacts, type QualityGateResult } from "../observer/quality-gate";
import { checklistGateFacts, getChecklist, type Checklist } from "./checklist";
import type { EventFiles } from "./checklist-verify";
import type { DecisionRecord, DecisionState, DecisionValue } from "./decisions-store";
import { getKillSwitchStatus } from "./kill-switch";

/**
 * Go/No-Go (DESIGN §6, issue 3): the quality gate computed at the moment of asking, and the rule
 * that turns a reviewer's decision into a record. The action that writes it is in
 * decisions-actions.ts; the read side in decisions-store.ts.
 */
export interface GateEvaluation {
  gate: QualityGateResult;
  checklist: Checklist;
}

export async function evaluateQualityGate(
  db: Queryable,
  event: string,
  files: EventFiles,
  options: { kpis?: KpiGateFacts | null } = {},
): Promise<GateEvaluation> {
  const [checklist, killSwitch] = await Promise.all([
    getChecklist(db, event, files),
    getKillSwitchStatus(db),
  ]);
  const gate = computeQualityGate({
    checklist: checklistGateFacts(checklist),
    killSwitch,
    kpis: options.kpis ?? null,
  });
  return { gate, checklist };
}

export interface DecisionRuling {
  state: DecisionState;
  /** The earlier go this one confirms, under the two-reviewer rule. */
  confirms: number | null;
}

const sameReviewer = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * A `go` under the two-reviewer rule counts only when it directly follows a `go` by a different
 * reviewer (nothing recorded between); otherwise it awaits the second reviewer. The same reviewer
 * twice does not count. `no_go` always counts at once.
 */
export function ruleOnDecision(
  decision: DecisionValue,
  decidedBy: string,
  previous: DecisionRecord | null,
  requireTwoReviewers: boolean,
): DecisionRuling {
  if (decision === "no_go" || !requireTwoReviewers) return { state: "effective", confirms: null };
  if (previous?.decision === "go" && !sameReviewer(previous.decidedBy, decidedBy)) {
    return { state: "effective", confirms: previous.id };
  }
  return { state: "awaiting_second_reviewer", confirms: null };
}
