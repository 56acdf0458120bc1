/**
 * The quality gate (DESIGN §6): the recommendation shown beside the Go/No-Go form. Pure: the
 * caller gathers the facts (checklist, kill switch, later the KPIs) into one typed object, so the
 * observer work adds its KPI facts without touching how the verdict is formed.
 */
export type GateStatus = "pass" | "warn" | "fail";
export type GateOutcome = GateStatus | "not_evaluated";

export interface GateReason {
  /** Stable id of the check, e.g. "checklist.complete", "kpi.sha_parity". */
  check: string;
  outcome: GateOutcome;
  message: string;
}

export interface QualityGateResult {
  status: GateStatus;
  reasons: GateReason[];
}

export interface ChecklistGateFacts {
  /** Steps the gate requires (every step except 12, the decision itself) that are not ticked. */
  open: readonly { step: number; title: string }[];
  /** Ticked by hand although the evidence the system reads does not verify them. */
  unverifiedTicks: readonly { step: number; title: string; detail: string }[];
}

export interface KillSwitchGateFacts {
  state: "armed" | "engaged" | "released";
  changedBy: string | null;
  changedAt: string;
  reason: string | null;
}

/** The KPI facts of DESIGN §6, supplied by the observer once it computes them. */
export interface KpiGateFacts {
  observerRunId: string;
  shaParityPassRate: number | null;
  successRate: number | null;
  retriesExhaustedCount: number;
  /** Healed runs whose first failure → success took longer than 24 h. */
  lateHealCount: number;
}

export interface QualityGateThresholds {
  shaParityPassRate: number;
  successRate: number;
}

export const DEFAULT_GATE_THRESHOLDS: QualityGateThresholds = { shaParityPassRate: 1, successRate: 0.95 };

export interface QualityGateInput {
  checklist: ChecklistGateFacts;
  killSwitch: KillSwitchGateFacts;
  /** Absent until an observer run has produced KPIs: its checks are then listed as not evaluated. */
  kpis?: KpiGateFacts | null;
  thresholds?: QualityGateThresholds;
}

const RANK: Record<GateStatus, number> = { pass: 0, warn: 1, fail: 2 };
const percent = (rate: number) => `${(rate * 100).toFixed(1).replace(/\.0$/, "")} %`;
const stepList = (steps: readonly { step: number; title: string }[]) =>
  steps.map((s) => `${s.step} (${s.title})`).join(", ");

export function computeQualityGate(input: QualityGateInput): QualityGateResult {
  const reasons: GateReason[] = [
    ...checklistReasons(input.checklist),
    killSwitchReason(input.killSwitch),
    ...kpiReasons(input.kpis ?? null, input.thresholds ?? DEFAULT_GATE_THRESHOLDS),
  ];
  const status = reasons.reduce<GateStatus>(
    (worst, r) => (r.outcome !== "not_evaluated" && RANK[r.outcome] > RANK[worst] ? r.outcome : worst),
    "pass",
  );
  return { status, reasons };
}

function checklistReasons(facts: ChecklistGateFacts): GateReason[] {
  const reasons: GateReason[] = [
    facts.open.length === 0
      ? { check: "checklist.complete", outcome: "pass", message: "Checklist complete (steps 1–11 ticked)" }
      : {
          check: "checklist.complete",
          outcome: "fail",
          message: `Checklist incomplete: ${facts.open.length} step(s) open: ${stepList(facts.open)}`,
        },
  ];
  for (const tick of facts.unverifiedTicks) {
    reasons.push({
      check: `checklist.step${tick.step}.evidence`,
      outcome: "warn",
      message: `Step ${tick.step} (${tick.title}) is ticked by hand but the evidence does not verify it: ${tick.detail}`,
    });
  }
  return reasons;
}

function killSwitchReason(facts: KillSwitchGateFacts): GateReason {
  if (facts.state === "engaged") {
    return {
      check: "killswitch",
      outcome: "fail",
      message: `Kill switch engaged by ${facts.changedBy ?? "unknown"} at ${facts.changedAt}: ${facts.reason ?? "no reason given"}`,
    };
  }
  return {
    check: "killswitch",
    outcome: "pass",
    message:
      facts.state === "released"
        ? `Kill switch not engaged (released by ${facts.changedBy ?? "unknown"} at ${facts.changedAt})`
        : "Kill switch not engaged (armed)",
  };
}

function kpiReasons(kpis: KpiGateFacts | null, limits: QualityGateThresholds): GateReason[] {
  if (!kpis) {
    return [
      {
        check: "kpi",
        outcome: "not_evaluated",
        message:
          "KPI checks (SHA parity, success rate, retries exhausted, self-heal) wait for an observer run",
      },
    ];
  }
  const rate = (check: string, label: string, value: number | null, min: number): GateReason =>
    value === null
      ? {
          check,
          outcome: "warn",
          message: `${label}: no runs in the window (observer run ${kpis.observerRunId})`,
        }
      : {
          check,
          outcome: value >= min ? "pass" : "fail",
          message: `${label} ${percent(value)} (threshold ${percent(min)})`,
        };
  return [
    rate("kpi.sha_parity", "SHA parity pass rate", kpis.shaParityPassRate, limits.shaParityPassRate),
    rate("kpi.success_rate", "Success rate", kpis.successRate, limits.successRate),
    {
      check: "kpi.retries_exhausted",
      outcome: kpis.retriesExhaustedCount === 0 ? "pass" : "fail",
      message: `${kpis.retriesExhaustedCount} run(s) exhausted their retries`,
    },
    {
      check: "kpi.self_heal",
      outcome: kpis.lateHealCount === 0 ? "pass" : "fail",
      message: `${kpis.lateHealCount} run(s) healed later than 24 h`,
    },
  ];
}
