import type { FetchFunction } from "@slack/webhook";

/**
 * The fetch handed to @slack/webhook. Its HTTP error keeps the status but not the headers, and
 * DESIGN §5 lets a 429's Retry-After decide the wait, so the status and the two rate-limit headers
 * of the last response are noted here (never its body). The caller's signal (the kill switch) is
 * joined to the library's own timeout so an engaged switch cuts a request short.
 */
export interface RecordedResponse {
  status: number;
  headers: Record<string, string | undefined>;
}

export function createRecordingFetch(
  fetchImpl: typeof fetch,
  signal: AbortSignal | undefined,
): { fetch: FetchFunction; last: () => RecordedResponse | undefined; reset: () => void } {
  let last: RecordedResponse | undefined;
  const recordingFetch: FetchFunction = async (url, init) => {
    const signals = [init?.signal, signal].filter((s): s is AbortSignal => s !== undefined);
    const response = await fetchImpl(url, {
      ...init,
      signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
    });
    last = {
      status: response.status,
      headers: {
        "retry-after": response.headers.get("retry-after") ?? undefined,
        "x-ratelimit-reset": response.headers.get("x-ratelimit-reset") ?? undefined,
      },
    };
    return response;
  };
  return {
    fetch: recordingFetch,
    last: () => last,
    reset: () => {
      last = undefined;
    },
  };
}

/** A connection failure the retry executor recognises by its code; the message names no URL. */
export class SlackConnectionError extends Error {
  override readonly name: string;
  constructor(
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(`Slack webhook connection failure (${code})`, options);
    // executeWithRetry treats a TimeoutError by name, other failures by code.
    this.name = code === "TimeoutError" ? "TimeoutError" : "SlackConnectionError";
  }
}

/**
 * Maps what fetch threw (wrapped by @slack/webhook) to a coded connection failure, or rethrows
 * the abort reason when the caller's signal ended it. undici puts the socket's code on `cause`.
 * The executor turns it into a retry decision; only the code is ever reported.
 */
export function connectionFailure(original: Error, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  if (original.name === "TimeoutError") return new SlackConnectionError("TimeoutError", { cause: original });
  const code = codeOf(original) ?? codeOf(original.cause) ?? "UND_ERR_CONNECT";
  return new SlackConnectionError(code, { cause: original });
}

function codeOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === "string" && code !== "ABORT_ERR" ? code : undefined;
}
