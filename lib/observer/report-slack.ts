import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import type { Database } from "../db";
import { postSlackSummary, SlackRefusedError, SlackRetryExhaustedError } from "../notify/slack";
import type { SlackStatus } from "../notify/slack-message";
import type { GateStatus } from "./quality-gate";
import type { ObserverReport } from "./report-model";

/**
 * The observer report's Slack summary (DESIGN §8): the status follows the quality gate, the
 * summary is one line of the headline figures (postSlackSummary masks it and cuts it to 200
 * characters). The excerpt is written whether or not a webhook is set. A refused or exhausted
 * post does not undo the report: it is returned for the exit code (78 / 75).
 */
const STATUS_OF_GATE: Record<GateStatus, SlackStatus> = { pass: "success", warn: "alert", fail: "failure" };

const percent = (rate: number | null) => (rate === null ? "n/a" : `${Math.round(rate * 1000) / 10}%`);

export function renderSlackSummaryText(report: ObserverReport): string {
  const k = report.kpis;
  return (
    `observer ${report.observerRunId} (${report.event}): ${k.total_runs} runs/${report.windowDays}d as of ${report.asOf}; ` +
    `success ${percent(k.success_rate)}, parity ${percent(k.sha_parity_pass_rate)}, ` +
    `exhausted ${k.retries_exhausted_count}, late heals ${k.self_heal.count_over_24h}; gate ${report.gate.status}`
  );
}

export interface ReportSlackOutcome {
  status: SlackStatus;
  posted: boolean;
  excerptPath: string | null;
  responseCode?: number;
  error?: { kind: "refused" | "exhausted"; message: string };
}

export async function postReportToSlack(input: {
  settings: Settings;
  paths: EventPaths;
  report: ObserverReport;
  db?: Database;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
}): Promise<ReportSlackOutcome> {
  const { report } = input;
  const status = STATUS_OF_GATE[report.gate.status];
  const exhausted = report.upsert?.exhausted.length ?? 0;
  try {
    const result = await postSlackSummary({
      settings: input.settings,
      paths: input.paths,
      runId: report.observerRunId,
      status,
      summary: renderSlackSummaryText(report),
      retryContext: exhausted > 0 ? `retry_exhausted=true (${exhausted} metrics row(s))` : undefined,
      db: input.db,
      signal: input.signal,
      fetchImpl: input.fetchImpl,
    });
    return {
      status,
      posted: result.posted,
      excerptPath: result.excerptPath,
      responseCode: result.responseCode,
    };
  } catch (error) {
    if (error instanceof SlackRefusedError || error instanceof SlackRetryExhaustedError) {
      return {
        status,
        posted: false,
        excerptPath: error.result.excerptPath,
        responseCode: error.result.responseCode,
        error: { kind: error instanceof SlackRefusedError ? "refused" : "exhausted", message: error.message },
      };
    }
    throw error;
  }
}
