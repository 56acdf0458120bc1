/**
 * Sign-in attempts, limited per e-mail and per client address in a sliding window.
 *
 * Kept in the server's memory, not in the database: the dashboard is one process (the embedded
 * database allows no other), a flood of guesses then costs no database writes, and the window
 * is short enough that losing it on a restart matters little (every guess still costs a scrypt
 * hash). Behind several server instances each counts on its own: the limit multiplies by their
 * number. Each attempt counts as a failure from the moment it starts, so parallel guesses cannot
 * slip past the check before the first one fails; a success takes its own attempt back.
 */
export interface RateLimitOptions {
  maxPerEmail: number;
  /** Higher than per e-mail: people behind one NAT share an address. */
  maxPerAddress: number;
  windowMs: number;
  /** Bounds memory under a spray of made-up e-mails: the stalest keys go first. */
  maxKeys: number;
  now: () => number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  maxPerEmail: 5,
  maxPerAddress: 30,
  windowMs: 15 * 60_000,
  maxKeys: 10_000,
  now: () => Date.now(),
};

export type AttemptDecision =
  { allowed: true; attempt: LoginAttempt } | { allowed: false; retryAfterMs: number; message: string };

export interface LoginAttempt {
  /** The right password: forget this e-mail's failures and take this attempt back from the address. */
  succeeded(): void;
}

export interface LoginRateLimiter {
  begin(who: { email: string; address: string | null }): AttemptDecision;
}

export function createLoginRateLimiter(options: Partial<RateLimitOptions> = {}): LoginRateLimiter {
  const o = { ...DEFAULT_RATE_LIMIT, ...options };
  // Map iteration order is insertion order: re-inserting on use keeps the stalest keys first.
  const failures = new Map<string, number[]>();

  const recent = (key: string, now: number): number[] => {
    const kept = (failures.get(key) ?? []).filter((t) => t > now - o.windowMs);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  const record = (key: string, at: number) => {
    const list = failures.get(key) ?? [];
    failures.delete(key);
    failures.set(key, [...list, at]);
    while (failures.size > o.maxKeys) {
      const oldest = failures.keys().next().value;
      if (oldest === undefined) break;
      failures.delete(oldest);
    }
  };

  return {
    begin({ email, address }) {
      const now = o.now();
      const keys: [string, number][] = [[`email:${email.trim().toLowerCase()}`, o.maxPerEmail]];
      if (address) keys.push([`addr:${address}`, o.maxPerAddress]);
      let retryAfterMs = 0;
      for (const [key, max] of keys) {
        const list = recent(key, now);
        const blocking = list[list.length - max];
        if (list.length >= max && blocking !== undefined) {
          retryAfterMs = Math.max(retryAfterMs, blocking + o.windowMs - now);
        }
      }
      if (retryAfterMs > 0) {
        const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
        return {
          allowed: false,
          retryAfterMs,
          message: `Too many sign-in attempts: try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
        };
      }
      for (const [key] of keys) record(key, now);
      const [emailKey, addressKey] = keys.map(([key]) => key);
      const succeeded = () => {
        if (emailKey) failures.delete(emailKey);
        const list = addressKey ? failures.get(addressKey) : undefined;
        const index = list?.indexOf(now) ?? -1;
        if (list && addressKey && index >= 0) failures.set(addressKey, list.toSpliced(index, 1));
      };
      return { allowed: true, attempt: { succeeded } };
    },
  };
}

// One limiter per server process, on globalThis so Next's separate module graphs share it.
const holder = globalThis as typeof globalThis & { __auditloopLoginLimiter?: LoginRateLimiter };

export function getLoginRateLimiter(): LoginRateLimiter {
  holder.__auditloopLoginLimiter ??= createLoginRateLimiter();
  return holder.__auditloopLoginLimiter;
}
