import type { Queryable } from "../db";
import type { GateReason, GateStatus } from "../observer/quality-gate";

/**
 * The read side of the decisions table (append-only, DESIGN §9): each new decision supersedes the
 * previous one of its event, so the newest row is the current decision. With the two-reviewer
 * rule a `go` may be recorded as awaiting a second reviewer; it then does not count yet.
 */
export type DecisionValue = "go" | "no_go";
export type DecisionState = "effective" | "awaiting_second_reviewer";

export interface DecisionRecord {
  id: number;
  event: string;
  decision: DecisionValue;
  rationale: string;
  gateStatus: GateStatus;
  gateReasons: GateReason[];
  override: boolean;
  decidedBy: string;
  decidedRole: string;
  decidedAt: string;
  supersedes: number | null;
  state: DecisionState;
  twoReviewerRule: boolean;
  /** The first reviewer's go this go confirms (two-reviewer rule). */
  confirms: number | null;
}

interface DecisionRow {
  id: string | number;
  event: string;
  decision: DecisionValue;
  rationale: string;
  gate_status: GateStatus;
  gate_reasons: GateReason[] | string;
  override: boolean;
  decided_by: string;
  decided_role: string;
  decided_at: Date | string;
  supersedes: string | number | null;
  state: DecisionState;
  two_reviewer_rule: boolean;
  confirms: string | number | null;
}

const COLUMNS =
  "id, event, decision, rationale, gate_status, gate_reasons, override, decided_by, decided_role, decided_at, " +
  "supersedes, state, two_reviewer_rule, confirms";

function toRecord(row: DecisionRow): DecisionRecord {
  const id = (v: string | number | null) => (v === null ? null : Number(v));
  return {
    id: Number(row.id),
    event: row.event,
    decision: row.decision,
    rationale: row.rationale,
    gateStatus: row.gate_status,
    gateReasons: typeof row.gate_reasons === "string" ? JSON.parse(row.gate_reasons) : row.gate_reasons,
    override: row.override,
    decidedBy: row.decided_by,
    decidedRole: row.decided_role,
    decidedAt: new Date(row.decided_at).toISOString(),
    supersedes: id(row.supersedes),
    state: row.state,
    twoReviewerRule: row.two_reviewer_rule,
    confirms: id(row.confirms),
  };
}

/** The event's decisions, newest first. */
export async function listDecisions(db: Queryable, event: string, limit = 200): Promise<DecisionRecord[]> {
  const { rows } = await db.query<DecisionRow>(
    `select ${COLUMNS} from decisions where event = $1 order by id desc limit $2`,
    [event, limit],
  );
  return rows.map(toRecord);
}

export async function getLatestDecision(db: Queryable, event: string): Promise<DecisionRecord | null> {
  return (await listDecisions(db, event, 1))[0] ?? null;
}

export interface DecisionStatus {
  /** The newest decision (it supersedes every earlier one), or null when none was recorded. */
  latest: DecisionRecord | null;
  /** The decision that counts: the newest effective one (a go awaiting its second reviewer does not). */
  standing: DecisionRecord | null;
  awaitingSecondReviewer: boolean;
}

export function describeDecisionStatus(history: readonly DecisionRecord[]): DecisionStatus {
  const latest = history[0] ?? null;
  return {
    latest,
    standing: history.find((d) => d.state === "effective") ?? null,
    awaitingSecondReviewer: latest?.state === "awaiting_second_reviewer",
  };
}

export async function getDecisionStatus(db: Queryable, event: string): Promise<DecisionStatus> {
  return describeDecisionStatus(await listDecisions(db, event));
}

export function decisionLabel(decision: DecisionValue): "GO" | "NO-GO" {
  return decision === "go" ? "GO" : "NO-GO";
}
