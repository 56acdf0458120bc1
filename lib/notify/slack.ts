import {
  IncomingWebhook,
  IncomingWebhookHTTPError,
  IncomingWebhookRequestError,
  type IncomingWebhookSendArguments,
} from "@slack/webhook";
import type { EventPaths } from "../config/paths";
import type { Settings } from "../config/settings";
import type { Database } from "../db";
import { RetryExhaustedError, ServiceRefusedError } from "../errors";
import { executeWithRetry, type DecisionRecord, type OperationResponse } from "../retry";
import { createMasker } from "./mask";
import { writeSlackExcerpt } from "./slack-excerpt";
import { buildSlackSummary, type SlackStatus, type SlackSummaryFields } from "./slack-message";
import { connectionFailure, createRecordingFetch } from "./slack-transport";

/**
 * The masked Slack summary (DESIGN §8): written to slack_excerpts/ first, then, when
 * SLACK_WEBHOOK_URL is set, posted through @slack/webhook under our retry policy (DESIGN §5).
 * The library's own retries stay off so exactly one layer retries. Only status codes and retry
 * decisions are kept: a Slack response body never reaches a log, an error or the database.
 */
export interface PostSlackSummaryInput {
  settings: Settings;
  paths: EventPaths;
  runId: string;
  status: SlackStatus;
  summary: string;
  retryContext?: string;
  db?: Database;
  signal?: AbortSignal;
  fetchImpl?: typeof fetch;
  /** The summary's moment; now by default. */
  at?: Date;
}

export interface SlackPostResult {
  posted: boolean;
  excerptPath: string;
  responseCode?: number;
  retryExhausted?: boolean;
}

/** A webhook request that does not answer within this is a timeout (retried as a 5xx). */
export const SLACK_REQUEST_TIMEOUT_MS = 10_000;

/** Slack refused (403, 404, other 4xx): not retried. Carries the result for the caller's records. */
export class SlackRefusedError extends ServiceRefusedError {
  constructor(
    message: string,
    readonly result: SlackPostResult,
  ) {
    super(message);
  }
}

export class SlackRetryExhaustedError extends RetryExhaustedError {
  constructor(
    message: string,
    readonly result: SlackPostResult,
  ) {
    super(message);
  }
}

export async function postSlackSummary(input: PostSlackSummaryInput): Promise<SlackPostResult> {
  const { settings, signal } = input;
  const { text, fields } = buildSlackSummary(
    {
      status: input.status,
      timestampUtc: input.at ?? new Date(),
      summary: input.summary,
      retryContext: input.retryContext,
    },
    createMasker(settings),
  );
  const excerptPath = await writeSlackExcerpt(input.paths, input.runId, fields);
  const webhookUrl = settings.SLACK_WEBHOOK_URL;
  if (webhookUrl === undefined) return { posted: false, excerptPath };

  const recording = createRecordingFetch(input.fetchImpl ?? fetch, signal);
  const webhook = new IncomingWebhook(webhookUrl, {
    fetch: recording.fetch,
    timeout: SLACK_REQUEST_TIMEOUT_MS,
    retryConfig: { retries: 0 },
  });
  // The DESIGN §8 fields as the body's keys, plus `text`: a classic incoming webhook refuses a body
  // without it (400 no_text). `text` is those same fields, one per line, escaped: nothing more.
  const payload: IncomingWebhookSendArguments & SlackSummaryFields = { text, ...fields };
  const decisions: DecisionRecord[] = [];
  const send = async (): Promise<OperationResponse> => {
    recording.reset();
    try {
      await webhook.send(payload);
      return { status: recording.last()?.status ?? 200 };
    } catch (error) {
      // The HTTP error holds Slack's response body: only its status code goes on.
      if (error instanceof IncomingWebhookHTTPError)
        return { status: error.statusCode, headers: recording.last()?.headers };
      if (error instanceof IncomingWebhookRequestError) throw connectionFailure(error.original, signal);
      throw error;
    }
  };
  const options = {
    scale: settings.RETRY_BACKOFF_SCALE,
    signal,
    onDecision: (r: DecisionRecord) => decisions.push(r),
  };
  let outcome: Awaited<ReturnType<typeof executeWithRetry>>;
  try {
    outcome = await executeWithRetry(send, options);
  } catch (error) {
    // Aborted (kill switch) or a bug: the attempts made so far are still history; the error wins.
    if (input.db) await recordAttempts(input.db, input.runId, decisions).catch(() => undefined);
    throw error;
  }
  if (input.db) await recordAttempts(input.db, input.runId, decisions);

  const result = {
    posted: outcome.outcome === "success",
    excerptPath,
    responseCode: outcome.lastStatus,
    retryExhausted: outcome.retryExhausted,
  };
  // The policy's reason names the status or connection failure, never a body (e.g. 403 → secrets check).
  const reason = outcome.decisions.at(-1)?.decision.reason ?? "no answer";
  if (outcome.outcome === "refused")
    throw new SlackRefusedError(`Slack webhook refused the summary: ${reason}`, result);
  if (outcome.outcome === "exhausted") {
    throw new SlackRetryExhaustedError(`Slack webhook: ${reason} (${outcome.attempts} attempts)`, result);
  }
  return result;
}

/** retry_history rows (DESIGN §5): the status code or connection failure and the decision. */
async function recordAttempts(db: Database, runId: string, decisions: DecisionRecord[]): Promise<void> {
  for (const record of decisions) {
    await db.query(
      `insert into retry_history (service, operation, run_id, attempt, status_code, decision, wait_ms)
       values ('slack', 'post-summary', $1, $2, $3, $4, $5)`,
      [runId, record.attempt, record.status ?? null, record.decision.kind, record.waitMs],
    );
  }
}
