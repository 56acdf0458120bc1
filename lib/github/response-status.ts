/**
 * How a GitHub answer maps onto the retry policy's table (DESIGN §5).
 *
 * Decision on GitHub's rate-limit 403s: GitHub answers an exceeded primary or secondary rate limit
 * with 403 *or* 429, and says to wait for Retry-After / x-ratelimit-reset before trying again
 * (docs.github.com, "Rate limits for the REST API"). Such a 403 is not a secrets problem, so
 * pointing the operator at the secrets check would mislead: a 403 that carries Retry-After,
 * x-ratelimit-remaining: 0 or GitHub's "secondary rate limit" message is decided as a 429 (3
 * retries, the header's wait, capped). Every other 403 is refused as suspect secrets.
 */
export function policyStatus(
  status: number,
  headers: Record<string, string | number | undefined>,
  message = "",
): number {
  // Octokit only returns answers below 400; a 3xx here is the artifact zip's redirect, a success.
  if (status < 400) return status < 300 ? status : 200;
  if (status === 403 && isRateLimited(headers, message)) return 429;
  return status;
}

export function isRateLimited(headers: Record<string, string | number | undefined>, message = ""): boolean {
  const header = (name: string) => {
    const value = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
    return value === undefined ? undefined : String(value);
  };
  return (
    header("retry-after") !== undefined ||
    header("x-ratelimit-remaining") === "0" ||
    /\bsecondary rate limit\b/i.test(message)
  );
}

/** Connection-level failures worth a retry: socket errors, refused/reset connections, timeouts. */
const CONNECTION_CODE = /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/;

/**
 * Octokit reports a failed fetch as a RequestError with status 500 and no response; the real cause
 * (ECONNRESET, UND_ERR_SOCKET for a truncated body, a TimeoutError) sits down its cause chain.
 */
export function connectionFailureCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    if (current.name === "TimeoutError") return "TimeoutError";
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODE.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}
