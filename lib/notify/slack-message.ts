import { InputError } from "../errors";
import type { Mask } from "./mask";

export const SLACK_STATUSES = ["success", "failure", "retry", "alert"] as const;
export type SlackStatus = (typeof SLACK_STATUSES)[number];

export const SUMMARY_MAX_LENGTH = 200;

export interface SlackSummaryInput {
  status: SlackStatus;
  timestampUtc: Date;
  summary: string;
  retryContext?: string;
}

/** The only fields a Slack message may carry (DESIGN §8). */
export interface SlackSummaryFields {
  status: SlackStatus;
  timestamp_utc: string;
  summary: string;
  retry_context?: string;
}

export interface SlackSummary {
  text: string;
  fields: SlackSummaryFields;
}

/** `YYYY-MM-DDTHH:MM:SSZ`: ISO 8601 in UTC without milliseconds. */
export function formatTimestampUtc(date: Date): string {
  if (Number.isNaN(date.getTime())) {
    throw new InputError("Slack summary: timestampUtc is not a valid date; expected a UTC moment");
  }
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Makes `<!channel>`, `<url|label>` and `&entity;` inert in Slack's text format (and in markdown). */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One line, at most `max` UTF-16 units, cut with "…" and never inside a surrogate pair. */
function cutToLength(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  if (oneLine.length <= max) return oneLine;
  let end = max - 1;
  const last = oneLine.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${oneLine.slice(0, end)}…`;
}

/** Builds the masked summary; masking comes before cutting so a cut can never split a secret. */
export function buildSlackSummary(input: SlackSummaryInput, mask: Mask): SlackSummary {
  if (!SLACK_STATUSES.includes(input.status)) {
    throw new InputError(
      `Slack summary: status "${mask(String(input.status))}" is not one of ${SLACK_STATUSES.join(", ")}`,
    );
  }
  const fields: SlackSummaryFields = {
    status: input.status,
    timestamp_utc: formatTimestampUtc(input.timestampUtc),
    summary: cutToLength(mask(input.summary), SUMMARY_MAX_LENGTH),
  };
  if (input.retryContext !== undefined && input.retryContext.trim() !== "") {
    fields.retry_context = cutToLength(mask(input.retryContext), SUMMARY_MAX_LENGTH);
  }
  const lines = [
    `status: ${fields.status}`,
    `timestamp_utc: ${fields.timestamp_utc}`,
    `summary: ${fields.summary}`,
    ...(fields.retry_context === undefined ? [] : [`retry_context: ${fields.retry_context}`]),
  ];
  return { text: escapeSlackText(lines.join("\n")), fields };
}

/** Markdown-inert text: HTML escaped as for Slack, and `[`/`]` escaped so no `[label](target)` links. */
function escapeMarkdown(text: string): string {
  return escapeSlackText(text).replace(/[\\[\]]/g, "\\$&");
}

/** The markdown written to `slack_excerpts/<RUN_ID>-summary.md`. */
export function renderSlackExcerpt(fields: SlackSummaryFields): string {
  const rows: [string, string][] = [
    ["status", fields.status],
    ["timestamp_utc", fields.timestamp_utc],
    ["summary", fields.summary],
  ];
  if (fields.retry_context !== undefined) rows.push(["retry_context", fields.retry_context]);
  const list = rows.map(([name, value]) => `- **${name}**: ${escapeMarkdown(value)}`);
  return ["# Slack summary", "", ...list, ""].join("\n");
}
