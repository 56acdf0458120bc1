import {
  markdownCell,
  SUMMARY_TITLES,
  updateSummaryFile,
  upsertMarkdownSection,
} from "../evidence/event-summaries";
import { describeVerification } from "./checklist-verify";
import type { Checklist, ChecklistStep } from "./checklist";

/**
 * The checklist section of AUTO_OBSERVER_SUMMARY.md: one table of the twelve steps, replaced in
 * place on every change. It is a pure function of the checklist, so writing it twice changes nothing.
 */
export const CHECKLIST_HEADING = "## Handbook checklist";

function status(step: ChecklistStep): string {
  if (!step.checked) return step.source === "manual" ? "open (unticked)" : "open";
  return step.source === "auto" ? "done (auto)" : "done";
}

const utc = (iso: string | null) => (iso ? iso.replace(/\.\d+Z$/, "Z") : null);

export function renderChecklistSection(checklist: Checklist): string {
  const done = checklist.steps.filter((s) => s.checked).length;
  const lines = [
    `Event \`${checklist.event}\`: ${done} of ${checklist.steps.length} steps done. ` +
      "Written by the console on every change; the audit log holds the history.",
    "",
    "| # | Step | Role | Status | By | At (UTC) | Note | Verification |",
    "|---|---|---|---|---|---|---|---|",
    ...checklist.steps.map((s) =>
      [
        s.step,
        markdownCell(s.title),
        s.role,
        status(s),
        markdownCell(s.by),
        markdownCell(utc(s.at)),
        markdownCell(s.note),
        markdownCell(describeVerification(s.verification)),
      ]
        .join(" | ")
        .replace(/^/, "| ")
        .concat(" |"),
    ),
  ];
  return lines.join("\n");
}

/** Replaces the section; a new one goes above the logs appended at the end of the file. */
export async function writeChecklistSection(
  file: string,
  load: () => Promise<Checklist>,
  options: { signal?: AbortSignal } = {},
): Promise<{ file: string; changed: boolean }> {
  // The checklist is read under the file's lock, so two writers cannot leave an older table last.
  return updateSummaryFile(
    file,
    SUMMARY_TITLES.observer,
    async (text) =>
      upsertMarkdownSection(text, CHECKLIST_HEADING, renderChecklistSection(await load()), {
        fallback: "top",
      }),
    options,
  );
}
