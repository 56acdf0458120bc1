import { decideRetry, type RetryDecision } from "./policy";

export interface OperationResponse {
  status: number;
  headers?: Record<string, string | undefined>;
}

export interface DecisionRecord {
  attempt: number;
  status?: number;
  errorCode?: string;
  decision: RetryDecision;
  waitMs: number;
}

export interface ExecuteOptions {
  /** RETRY_BACKOFF_SCALE. */
  scale: number;
  /** The kill switch's signal: aborting cuts a wait short. */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  capMs?: number;
  /** Status code and decision only: a response body never reaches the logs. */
  onDecision?: (record: DecisionRecord) => void;
}

export interface ExecuteResult {
  outcome: "success" | "exhausted" | "refused";
  attempts: number;
  lastStatus?: number;
  retryExhausted: boolean;
  decisions: DecisionRecord[];
}

/**
 * Global setTimeout rather than node:timers/promises: vi.useFakeTimers does not fake the latter, and
 * the policy's real waits must be provable under fake timers. Rejects with the signal's own reason.
 */
export function sleepWithSignal(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export async function executeWithRetry(
  operation: (attempt: number) => Promise<OperationResponse>,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const { scale, signal, sleep = sleepWithSignal, now = Date.now, onDecision } = options;
  const decisions: DecisionRecord[] = [];
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let status: number | undefined;
    let headers: OperationResponse["headers"];
    let errorCode: string | undefined;
    try {
      ({ status, headers } = await operation(attempt));
    } catch (error) {
      errorCode = connectionErrorCode(error);
      if (errorCode === undefined || signal?.aborted) throw error;
    }
    const decision = decideRetry({
      status,
      errorCode,
      attempt,
      retryAfterHeader: readHeader(headers, "retry-after"),
      rateLimitResetHeader: readHeader(headers, "x-ratelimit-reset"),
      now: now(),
      scale,
      capMs: options.capMs,
    });
    const record: DecisionRecord = { attempt, status, errorCode, decision, waitMs: decision.waitMs ?? 0 };
    decisions.push(record);
    onDecision?.(record);
    const done = { attempts: attempt, lastStatus: status, decisions };
    switch (decision.kind) {
      case "success":
      case "duplicate-success":
        return { outcome: "success", retryExhausted: false, ...done };
      case "refuse-secrets":
      case "refuse-input":
        return { outcome: "refused", retryExhausted: false, ...done };
      case "give-up-exhausted":
        return { outcome: "exhausted", retryExhausted: true, ...done };
      case "retry":
        if (record.waitMs > 0) await sleep(record.waitMs, signal);
        signal?.throwIfAborted();
    }
  }
}

/** A thrown error with a string `code` (or a fetch timeout) is a connection failure; anything else is a bug. */
function connectionErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === "TimeoutError") return "TimeoutError";
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || code === "ABORT_ERR") return undefined;
  return code;
}

function readHeader(headers: OperationResponse["headers"], name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}
