import { InputError } from "../errors";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * How messages name a signed storage URL: scheme and host only. The path and query carry the
 * signature (a bearer credential until it expires), so they never reach a message or a log.
 * Also refuses URLs that would leak: embedded credentials, or plain http to anything but loopback.
 */
export function describeStorageUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // No cause: the URL parser's error repeats the whole URL.
    throw new InputError("the storage URL is not a valid URL (its text is not shown: it is signed)");
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new InputError(
      `the storage URL for ${parsed.host} carries credentials; expected a signed URL without any`,
    );
  }
  const secure = parsed.protocol === "https:";
  if (!secure && !(parsed.protocol === "http:" && LOOPBACK_HOSTS.has(parsed.hostname))) {
    throw new InputError(`the storage URL for ${parsed.host} must use https (http only on loopback)`);
  }
  return `the storage URL (${parsed.origin}/…)`;
}

const REPORTED_DIGEST = /^(?:sha256:)?([0-9a-f]{64})$/i;

/** GitHub's artifact `digest` (`sha256:<hex>`) as lowercase hex. */
export function parseReportedDigest(value: string): string {
  const hex = REPORTED_DIGEST.exec(value.trim())?.[1];
  if (hex === undefined) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
    throw new InputError(`expectedDigest: expected "sha256:" and 64 hex digits, got "${shown}"`);
  }
  return hex.toLowerCase();
}

/**
 * fetch reports a reset or refused connection as a TypeError whose cause has the code; the retry
 * executor retries only errors with a code, so the code is lifted onto our own error. An error with
 * no code anywhere is a bug and passes unchanged.
 */
export function toConnectionError(where: string, error: unknown): unknown {
  const code = codeOf(error) ?? codeOf((error as { cause?: unknown } | undefined)?.cause);
  if (code === undefined) return error;
  return Object.assign(new Error(`${where}: connection failed (${code})`, { cause: error }), { code });
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" && code !== "ABORT_ERR" ? code : undefined;
}

/** A short reason for the final message: the status, the connection code, else the message. */
export function describeFailure(failure: { status?: number; error?: unknown }): string {
  if (failure.status !== undefined) return `HTTP ${failure.status}`;
  const code = codeOf(failure.error);
  if (code !== undefined) return `connection failure ${code}`;
  return failure.error instanceof Error ? failure.error.message : String(failure.error);
}
