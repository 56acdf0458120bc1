import { CHANGE_LOG_HEADING, DECISION_HEADING } from "../control/decisions-markdown";
import {
  appendToMarkdownSection,
  SUMMARY_TITLES,
  updateSummaryFile,
  upsertMarkdownSection,
} from "../evidence/event-summaries";
import type { Mask } from "../notify/mask";
import { ensureMarkdownSection, upsertMarkdownSubsection } from "./markdown-subsections";
import type { ObserverReport } from "./report-model";
import {
  observerRunHeading,
  renderChangeLogLine,
  renderFindings,
  renderKpiTable,
  renderObserverRunSection,
  renderWindow,
} from "./report-markdown";

/**
 * The observer report's two markdown files (DESIGN §3). Each writer owns its sections and leaves
 * every other section as it is: PHASE3_AUDIT_SUMMARY.md's manual sections and Go/No-Go
 * (decisions-markdown.ts), AUTO_OBSERVER_SUMMARY.md's checklist (checklist-markdown.ts) and kill
 * switch log (kill-switch-engage.ts appends to the end of the file, so that log stays last).
 * Everything written is masked: notes and run notes may carry secrets.
 */
export const PHASE3_HEADINGS = {
  kpis: "## KPIs",
  findings: "## Automated findings",
  backstop: "## Manual backstop review",
  compliance: "## Compliance checks",
} as const;
export const OBSERVER_RUNS_HEADING = "## Observer runs";
export const KILL_SWITCH_LOG_HEADING = "## Kill switch log";

const MANUAL_PLACEHOLDER = {
  backstop:
    "_To be completed by the reviewer: what was reviewed by hand, by whom and when. The observer report never changes this section._",
  compliance:
    "_To be completed by the reviewer: the compliance checks made and their outcome. The observer report never changes this section._",
};

export interface WriteOptions {
  mask: Mask;
  /** The wall clock of this report run (the change-log line's time). */
  at: Date;
  signal?: AbortSignal;
}

/** PHASE3_AUDIT_SUMMARY.md's text with the report applied. Pure. */
export function applyPhase3Report(text: string, report: ObserverReport, { mask, at }: WriteOptions): string {
  const h = PHASE3_HEADINGS;
  let next = upsertMarkdownSection(
    text,
    h.kpis,
    mask(`${renderWindow(report)}\n\n${renderKpiTable(report.kpis)}`),
    { before: [h.findings, h.backstop, h.compliance, DECISION_HEADING, CHANGE_LOG_HEADING] },
  );
  next = upsertMarkdownSection(next, h.findings, mask(renderFindings(report)), {
    before: [h.backstop, h.compliance, DECISION_HEADING, CHANGE_LOG_HEADING],
  });
  next = ensureMarkdownSection(next, h.backstop, MANUAL_PLACEHOLDER.backstop, {
    before: [h.compliance, DECISION_HEADING, CHANGE_LOG_HEADING],
  });
  next = ensureMarkdownSection(next, h.compliance, MANUAL_PLACEHOLDER.compliance, {
    before: [DECISION_HEADING, CHANGE_LOG_HEADING],
  });
  const line = mask(renderChangeLogLine(report, at));
  return appendToMarkdownSection(next, CHANGE_LOG_HEADING, line, line);
}

/** AUTO_OBSERVER_SUMMARY.md's text with the report's run section replaced or added. Pure. */
export function applyObserverReport(
  text: string,
  report: ObserverReport,
  { mask, at }: WriteOptions,
): string {
  let next = upsertMarkdownSubsection(
    text,
    OBSERVER_RUNS_HEADING,
    observerRunHeading(report.observerRunId),
    mask(renderObserverRunSection(report)),
    { before: [CHANGE_LOG_HEADING, KILL_SWITCH_LOG_HEADING] },
  );
  next = ensureMarkdownSection(next, CHANGE_LOG_HEADING, "", { before: [KILL_SWITCH_LOG_HEADING] });
  const line = mask(renderChangeLogLine(report, at));
  return appendToMarkdownSection(next, CHANGE_LOG_HEADING, line, line);
}

export function writePhase3Summary(file: string, report: ObserverReport, options: WriteOptions) {
  return updateSummaryFile(file, SUMMARY_TITLES.phase3, (text) => applyPhase3Report(text, report, options), {
    signal: options.signal,
  });
}

export function writeObserverSummary(file: string, report: ObserverReport, options: WriteOptions) {
  return updateSummaryFile(
    file,
    SUMMARY_TITLES.observer,
    (text) => applyObserverReport(text, report, options),
    {
      signal: options.signal,
    },
  );
}
