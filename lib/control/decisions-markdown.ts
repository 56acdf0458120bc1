import {
  appendToMarkdownSection,
  SUMMARY_TITLES,
  updateSummaryFile,
  upsertMarkdownSection,
} from "../evidence/event-summaries";
import type { GateReason } from "../observer/quality-gate";
import { decisionLabel, describeDecisionStatus, type DecisionRecord } from "./decisions-store";

/**
 * PHASE3_AUDIT_SUMMARY.md's "Go/No-Go" section (the current decision, replaced in place) and its
 * "Change log" (one line per decision, appended once: the decision id is the line's key).
 */
export const DECISION_HEADING = "## Go/No-Go";
export const CHANGE_LOG_HEADING = "## Change log";

const utc = (iso: string) => iso.replace(/\.\d+Z$/, "Z");
const OUTCOME_LABEL: Record<GateReason["outcome"], string> = {
  pass: "pass",
  warn: "warn",
  fail: "fail",
  not_evaluated: "not evaluated",
};

function recorded(d: DecisionRecord): string {
  return `decision #${d.id}, recorded ${utc(d.decidedAt)} by ${d.decidedBy} (${d.decidedRole})`;
}

export function renderDecisionSection(history: readonly DecisionRecord[]): string {
  const { latest, standing } = describeDecisionStatus(history);
  if (!latest) return "No Go/No-Go decision recorded yet.";
  const lines: string[] = [];
  if (latest.state === "awaiting_second_reviewer") {
    lines.push(
      `**Awaiting a second reviewer: ${decisionLabel(latest.decision)}** — ${recorded(latest)}. ` +
        "A go counts only when a different reviewer records go next (AUDIT_GO_REQUIRES_TWO_REVIEWERS).",
      "",
      standing
        ? `Standing decision until then: **${decisionLabel(standing.decision)}** (${recorded(standing)}).`
        : "No decision stands until then.",
    );
  } else {
    const confirmed = latest.confirms === null ? null : history.find((d) => d.id === latest.confirms);
    lines.push(
      `**Current decision: ${decisionLabel(latest.decision)}** — ${recorded(latest)}.` +
        (confirmed
          ? ` Confirms the go of decision #${confirmed.id} by ${confirmed.decidedBy}: two distinct reviewers.`
          : ""),
    );
  }
  lines.push(
    "",
    `Quality gate at the decision: **${latest.gateStatus.toUpperCase()}**${latest.override ? " (overridden by the reviewer)" : ""}`,
    "",
    ...latest.gateReasons.map((r) => `- ${OUTCOME_LABEL[r.outcome]}: ${r.message.replace(/\s+/g, " ")}`),
    "",
    latest.rationale.trim() === ""
      ? "Rationale: none given."
      : [
          "Rationale:",
          "",
          ...latest.rationale
            .trim()
            .split(/\r?\n/)
            .map((l) => `> ${l}`.trimEnd()),
        ].join("\n"),
  );
  if (latest.supersedes !== null) {
    lines.push("", `Supersedes decision #${latest.supersedes}; every decision is in the change log below.`);
  }
  return lines.join("\n");
}

export function changeLogKey(decision: DecisionRecord): string {
  return `Go/No-Go decision #${decision.id}:`;
}

export function renderChangeLogLine(d: DecisionRecord): string {
  const parts = [
    `${decisionLabel(d.decision)} by ${d.decidedBy} (${d.decidedRole})`,
    `gate ${d.gateStatus}${d.override ? " overridden" : ""}`,
    d.state === "awaiting_second_reviewer" ? "awaiting a second reviewer" : "effective",
    ...(d.confirms !== null ? [`confirms #${d.confirms}`] : []),
    ...(d.supersedes !== null ? [`supersedes #${d.supersedes}`] : []),
  ];
  return `- ${utc(d.decidedAt)} ${changeLogKey(d)} ${parts.join(", ")}`;
}

/** Writes the section and the change-log line for `decision` (idempotent: safe to repeat). */
export async function writeDecisionSummary(
  file: string,
  decision: DecisionRecord,
  loadHistory: () => Promise<readonly DecisionRecord[]>,
  options: { signal?: AbortSignal } = {},
): Promise<{ file: string; changed: boolean }> {
  return updateSummaryFile(
    file,
    SUMMARY_TITLES.phase3,
    async (text) => {
      const withSection = upsertMarkdownSection(
        text,
        DECISION_HEADING,
        renderDecisionSection(await loadHistory()),
        {
          before: [CHANGE_LOG_HEADING],
        },
      );
      return appendToMarkdownSection(
        withSection,
        CHANGE_LOG_HEADING,
        renderChangeLogLine(decision),
        changeLogKey(decision),
      );
    },
    options,
  );
}
