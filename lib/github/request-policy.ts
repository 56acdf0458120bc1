import { RequestError } from "@octokit/request-error";
import { RetryExhaustedError } from "../errors";
import { executeWithRetry, type DecisionRecord, type ExecuteOptions } from "../retry";
import { connectionFailureCode, policyStatus } from "./response-status";
import { GitHubRefusedError } from "./errors";

/**
 * The one layer that retries GitHub calls (DESIGN §5). Octokit's retry plugin is not used (it
 * retries 409 and ignores Retry-After) and the throttling plugin is told never to retry, so every
 * answer reaches executeWithRetry exactly once.
 */
export interface GitHubDecision extends DecisionRecord {
  /** `GET /repos/{owner}/{repo}/actions/runs`: the route, never a query string or a header. */
  operation: string;
  runId?: string;
  /** The status GitHub answered (a 403 rate limit is decided as 429 but recorded as 403). */
  httpStatus?: number;
}

export interface RequestPolicy extends Pick<ExecuteOptions, "scale" | "signal" | "sleep" | "now" | "capMs"> {
  /** Each attempt's own deadline; a timeout is retried like a reset connection. */
  timeoutMs: number;
  /** Every decision, as it is taken. */
  onDecision: (decision: GitHubDecision) => void;
  /** One request's decisions, once settled, when any was not a plain success (a retry, 409, 4xx…). */
  onSettled: (decisions: GitHubDecision[]) => Promise<void>;
}

interface RequestOptionsLike {
  method: string;
  url: string;
  request?: { signal?: AbortSignal | null };
  [parameter: string]: unknown;
}

interface ResponseLike {
  status: number;
  headers: Record<string, string | number | undefined>;
}

export async function requestWithPolicy<O extends RequestOptionsLike, R extends ResponseLike>(
  request: (options: O) => R | Promise<R>,
  options: O,
  policy: RequestPolicy,
): Promise<R> {
  const operation = describeOperation(options);
  const runId =
    typeof options.run_id === "string" || typeof options.run_id === "number"
      ? String(options.run_id)
      : undefined;
  const httpStatuses: Array<number | undefined> = [];
  const decisions: GitHubDecision[] = [];
  let response: R | undefined;
  let lastError: unknown;

  const attempt = async () => {
    const deadline = AbortSignal.timeout(policy.timeoutMs);
    const signal = policy.signal ? AbortSignal.any([policy.signal, deadline]) : deadline;
    try {
      // before-after-hook binds the inner layers to this very options object (whatever is passed
      // to `request`), so the attempt's signal is set on it in place.
      options.request = { ...options.request, signal };
      response = await request(options);
      httpStatuses.push(response.status);
      return {
        status: policyStatus(response.status, response.headers),
        headers: stringHeaders(response.headers),
      };
    } catch (error) {
      lastError = error;
      if (policy.signal?.aborted) throw policy.signal.reason;
      if (error instanceof RequestError && error.response) {
        httpStatuses.push(error.status);
        const { headers } = error.response;
        return {
          status: policyStatus(error.status, headers, error.message),
          headers: stringHeaders(headers),
        };
      }
      const code = connectionFailureCode(error);
      if (code === undefined) throw error;
      httpStatuses.push(undefined);
      throw Object.assign(new Error(`GitHub ${operation}: connection failure ${code}`, { cause: error }), {
        code,
      });
    }
  };

  let result: Awaited<ReturnType<typeof executeWithRetry>>;
  try {
    result = await executeWithRetry(attempt, {
      ...policy,
      onDecision: (record) => {
        const decision = { ...record, operation, runId, httpStatus: httpStatuses[record.attempt - 1] };
        decisions.push(decision);
        policy.onDecision(decision);
      },
    });
  } finally {
    // Also when the kill switch cut the retries short: the attempts made are history.
    if (decisions.some((d) => d.decision.kind !== "success")) await policy.onSettled(decisions);
  }

  const last = decisions.at(-1);
  if (result.outcome === "success" && response && result.lastStatus !== 409) return response;
  const answered = last?.httpStatus;
  const what =
    answered === undefined ? `connection failure ${last?.errorCode ?? "unknown"}` : `HTTP ${answered}`;
  if (result.outcome === "exhausted") {
    throw new RetryExhaustedError(
      `GitHub ${operation} failed after ${result.attempts} attempts (last: ${what}); retry_exhausted=true`,
      { cause: lastError },
    );
  }
  throw new GitHubRefusedError(refusalMessage(operation, answered ?? 0), answered ?? 0, { cause: lastError });
}

function refusalMessage(operation: string, status: number): string {
  const head = `GitHub answered HTTP ${status} to ${operation}`;
  if (status === 401) return `${head}: bad credentials; check GITHUB_TOKEN`;
  if (status === 403)
    return `${head}: suspect the token or its permissions; run scripts/phase4-secrets-check.sh`;
  if (status === 404)
    return `${head}: not found; check GITHUB_REPOSITORY, the run, artifact or workflow id, and the token's access`;
  if (status === 409) return `${head}: conflict with the resource's current state; not retried`;
  if (status === 422) return `${head}: the request was refused as invalid; not retried`;
  return `${head}: not retried (DESIGN §5: other 4xx are input errors)`;
}

function describeOperation({ method, url }: RequestOptionsLike): string {
  // Follow-up pages come as absolute URLs from the Link header: keep their path only.
  const route = url.startsWith("/") ? url.split("?")[0] : new URL(url).pathname;
  return `${method} ${route}`;
}

function stringHeaders(headers: ResponseLike["headers"]): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, value === undefined ? undefined : String(value)]),
  );
}
