/**
 * Errors the core throws. Each kind maps to one exit code of DESIGN §10 so the CLI and the
 * dashboard report the same failure the same way.
 */
export const EXIT = {
  ok: 0,
  input: 1,
  killSwitch: 3,
  retryExhausted: 75,
  serviceRefused: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad usage or bad input: the message names the file, field or flag and what was expected. */
export class InputError extends Error {
  readonly exitCode: ExitCode = EXIT.input;
  override readonly name = "InputError";
}

/** Refused because the kill switch is engaged. */
export class KillSwitchEngagedError extends Error {
  readonly exitCode: ExitCode = EXIT.killSwitch;
  override readonly name = "KillSwitchEngagedError";
}

/** A retryable failure that exhausted its retries. */
export class RetryExhaustedError extends Error {
  readonly exitCode: ExitCode = EXIT.retryExhausted;
  override readonly name = "RetryExhaustedError";
}

/** A non-retryable answer from a service (403, 422, other 4xx) or missing configuration. */
export class ServiceRefusedError extends Error {
  readonly exitCode: ExitCode = EXIT.serviceRefused;
  override readonly name = "ServiceRefusedError";
}

/** No signed-in user (HTTP 401). */
export class AuthenticationError extends Error {
  readonly exitCode: ExitCode = EXIT.input;
  readonly status = 401;
  override readonly name = "AuthenticationError";
}

/** Signed in, but the role may not do this (HTTP 403). */
export class ForbiddenError extends Error {
  readonly exitCode: ExitCode = EXIT.input;
  readonly status = 403;
  override readonly name = "ForbiddenError";
}

export function exitCodeOf(error: unknown): ExitCode {
  if (error && typeof error === "object" && "exitCode" in error) {
    const code = (error as { exitCode: unknown }).exitCode;
    if (typeof code === "number" && (Object.values(EXIT) as number[]).includes(code)) return code as ExitCode;
  }
  return EXIT.input;
}
