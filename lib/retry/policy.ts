import { InputError } from "../errors";

/**
 * DESIGN §5 as one table. Every HTTP client (supabase-js, Slack, Octokit) goes through
 * `decideRetry`, so only one layer retries and the waits are the same everywhere.
 */
export const RETRY_POLICY = {
  success: { retry: false },
  duplicate: { status: 409, retry: false },
  secrets: { status: 403, retry: false },
  input: { retry: false },
  rateLimited: { status: 429, retry: true, maxRetries: 3, waitsMs: [1_000, 4_000, 9_000] },
  serverError: { retry: true, maxRetries: 3, waitsMs: [5_000, 15_000, 45_000] },
  connection: { retry: true, maxRetries: 3, waitsMs: [5_000, 15_000, 45_000] },
  defaultCapMs: 60_000,
} as const;

export type RetryDecisionKind =
  "success" | "duplicate-success" | "retry" | "give-up-exhausted" | "refuse-secrets" | "refuse-input";

export interface RetryDecision {
  kind: RetryDecisionKind;
  waitMs?: number;
  reason: string;
}

export interface RetryInput {
  status?: number;
  /** ECONNRESET, ETIMEDOUT, ECONNREFUSED, EPIPE, UND_ERR_SOCKET, TimeoutError…: a connection failure. */
  errorCode?: string;
  /** 1-based: the try that just failed. */
  attempt: number;
  retryAfterHeader?: string;
  /** x-ratelimit-reset, epoch seconds. */
  rateLimitResetHeader?: string;
  now: number;
  /** RETRY_BACKOFF_SCALE: every wait is multiplied by it; 0 never waits. */
  scale: number;
  capMs?: number;
}

export function decideRetry(input: RetryInput): RetryDecision {
  const { status, errorCode, attempt } = input;
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new InputError(`decideRetry: attempt must be an integer >= 1, got ${attempt}`);
  }
  if (status === undefined && errorCode === undefined) {
    throw new InputError("decideRetry: expected a status or an errorCode, got neither");
  }
  if (status !== undefined && status >= 200 && status < 300) {
    return { kind: "success", reason: `HTTP ${status}` };
  }
  if (status === RETRY_POLICY.duplicate.status) {
    return { kind: "duplicate-success", reason: "HTTP 409: duplicate run_id, counted as success" };
  }
  if (status === RETRY_POLICY.secrets.status) {
    return {
      kind: "refuse-secrets",
      reason: "HTTP 403: suspect secrets; run scripts/phase4-secrets-check.sh",
    };
  }
  if (status === RETRY_POLICY.rateLimited.status) {
    return retryOrGiveUp(input, RETRY_POLICY.rateLimited, `HTTP ${status}`, headerWaitMs(input));
  }
  if (status !== undefined && status >= 500 && status < 600) {
    return retryOrGiveUp(input, RETRY_POLICY.serverError, `HTTP ${status}`);
  }
  if (status === undefined) {
    return retryOrGiveUp(input, RETRY_POLICY.connection, `connection failure ${errorCode}`);
  }
  return { kind: "refuse-input", reason: `HTTP ${status}: input error, not retried` };
}

function retryOrGiveUp(
  input: RetryInput,
  rule: { maxRetries: number; waitsMs: readonly number[] },
  what: string,
  headerMs?: number,
): RetryDecision {
  const retriesDone = input.attempt - 1;
  if (retriesDone >= rule.maxRetries) {
    return { kind: "give-up-exhausted", reason: `${what}: ${rule.maxRetries} retries exhausted` };
  }
  const baseMs = headerMs ?? rule.waitsMs[retriesDone] ?? 0;
  const capMs = input.capMs ?? RETRY_POLICY.defaultCapMs;
  const waitMs = Math.round(Math.min(baseMs, capMs) * input.scale);
  const source = headerMs === undefined ? "policy" : "header";
  return {
    kind: "retry",
    waitMs,
    reason: `${what}: retry ${retriesDone + 1} of ${rule.maxRetries} after ${waitMs} ms (${source})`,
  };
}

/** Retry-After (delta seconds or HTTP date) wins over x-ratelimit-reset; unparsable headers are ignored. */
function headerWaitMs({ retryAfterHeader, rateLimitResetHeader, now }: RetryInput): number | undefined {
  const retryAfter = retryAfterHeader?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = rateLimitResetHeader?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return undefined;
}
