import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import type { Settings } from "../config/settings";
import { ServiceRefusedError } from "../errors";
import type { OperationResponse } from "../retry";

/**
 * The Supabase REST client of the metrics upsert (DESIGN §5, §10). Exactly one layer retries:
 * ours (lib/retry). postgrest-js retries GET/HEAD/OPTIONS on 503/520 and network errors by
 * itself, so `db.retry` is off here. supabase-js's error object carries no headers, so the fetch
 * it is given records each answer's status and the headers the policy reads (never a body).
 */
export interface SupabaseConfig {
  url: string;
  serviceKey: string;
}

/** Missing configuration refuses (exit 78), naming the setting; the values are never shown. */
export function requireSupabaseConfig(
  settings: Pick<Settings, "SUPABASE_URL" | "SUPABASE_SERVICE_KEY">,
): SupabaseConfig {
  if (!settings.SUPABASE_URL) {
    throw new ServiceRefusedError(
      "SUPABASE_URL is not set: the metrics upsert needs the Supabase project URL (see .env.example)",
    );
  }
  if (!settings.SUPABASE_SERVICE_KEY) {
    throw new ServiceRefusedError(
      "SUPABASE_SERVICE_KEY is not set: the metrics upsert needs the service key (run scripts/phase4-secrets-check.sh)",
    );
  }
  return { url: settings.SUPABASE_URL, serviceKey: settings.SUPABASE_SERVICE_KEY };
}

/** What one request came to: a response's status and policy headers, or the error fetch threw. */
export type CapturedAnswer = { response: OperationResponse } | { error: unknown };

/** The headers the retry policy reads; nothing else of a response is kept. */
const POLICY_HEADERS = ["retry-after", "x-ratelimit-reset"] as const;

/** A request that has not answered within this long is a timeout, which the policy treats as a 5xx. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface AnswerRecorder {
  fetch: typeof fetch;
  /** The last request's answer, cleared once taken. */
  take(): CapturedAnswer | undefined;
}

export function createAnswerRecorder(base: typeof fetch, timeoutMs = REQUEST_TIMEOUT_MS): AnswerRecorder {
  let last: CapturedAnswer | undefined;
  const recording: typeof fetch = async (input, init) => {
    // AbortSignal.timeout rejects with a TimeoutError, which the executor counts as a connection
    // failure; the caller's own signal (the kill switch) rejects with an AbortError, which it does not.
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    try {
      const response = await base(input, { ...init, signal });
      const headers: Record<string, string> = {};
      for (const name of POLICY_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      last = { response: { status: response.status, headers } };
      return response;
    } catch (error) {
      last = { error };
      throw error;
    }
  };
  return {
    fetch: recording,
    take: () => {
      const answer = last;
      last = undefined;
      return answer;
    },
  };
}

export function createSupabaseRestClient(config: SupabaseConfig, fetchImpl: typeof fetch): SupabaseClient {
  return createClient(config.url, config.serviceKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    db: { retry: false },
    global: { fetch: fetchImpl },
  });
}

/**
 * undici reports a reset as `TypeError: fetch failed` with the socket error as its cause; the
 * executor recognises a connection failure by a string `code`, so the cause's code is lifted.
 * A TimeoutError passes as it is; anything else (an abort, a bug) is returned unchanged.
 */
export function toConnectionFailure(error: unknown): unknown {
  if (!(error instanceof Error) || error.name === "TimeoutError") return error;
  if (typeof (error as { code?: unknown }).code === "string") return error;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string") return error;
  return Object.assign(new Error(`connection failure (${code})`, { cause: error }), { code });
}
