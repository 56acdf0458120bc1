import { describe, expect, it } from "vitest";
import { decideRetry, RETRY_POLICY } from "./policy";

const NOW = Date.parse("2025-01-01T00:00:00Z");
const base = { now: NOW, scale: 1 };

describe("decideRetry", () => {
  it("treats 2xx as success and 409 as a duplicate that counts as success", () => {
    expect(decideRetry({ ...base, status: 201, attempt: 1 }).kind).toBe("success");
    expect(decideRetry({ ...base, status: 409, attempt: 1 }).kind).toBe("duplicate-success");
  });

  it("refuses 403 with a pointer to the secrets check", () => {
    const decision = decideRetry({ ...base, status: 403, attempt: 1 });
    expect(decision).toMatchObject({ kind: "refuse-secrets" });
    expect(decision.reason).toMatch(/secrets-check/);
  });

  it("refuses 422 and other 4xx as input errors without a wait", () => {
    for (const status of [400, 401, 404, 422]) {
      expect(decideRetry({ ...base, status, attempt: 1 })).toMatchObject({ kind: "refuse-input" });
      expect(decideRetry({ ...base, status, attempt: 1 }).waitMs).toBeUndefined();
    }
  });

  it("waits 5, 15, 45 s on 5xx and connection failures, then gives up", () => {
    for (const failure of [{ status: 503 }, { status: 500 }, { errorCode: "ECONNRESET" }]) {
      const waits = [1, 2, 3].map((attempt) => decideRetry({ ...base, ...failure, attempt }).waitMs);
      expect(waits).toEqual([5_000, 15_000, 45_000]);
      expect(decideRetry({ ...base, ...failure, attempt: 4 }).kind).toBe("give-up-exhausted");
    }
  });

  it("waits 1, 4, 9 s on 429 without headers, then gives up", () => {
    const waits = [1, 2, 3].map((attempt) => decideRetry({ ...base, status: 429, attempt }).waitMs);
    expect(waits).toEqual([...RETRY_POLICY.rateLimited.waitsMs]);
    expect(decideRetry({ ...base, status: 429, attempt: 4 }).kind).toBe("give-up-exhausted");
  });

  it("lets Retry-After in seconds win and scales it", () => {
    expect(decideRetry({ ...base, status: 429, attempt: 1, retryAfterHeader: "2" }).waitMs).toBe(2_000);
    const scaled = decideRetry({ ...base, scale: 0.5, status: 429, attempt: 1, retryAfterHeader: "2" });
    expect(scaled.waitMs).toBe(1_000);
  });

  it("reads Retry-After as an HTTP date relative to now", () => {
    const header = new Date(NOW + 7_000).toUTCString();
    expect(decideRetry({ ...base, status: 429, attempt: 1, retryAfterHeader: header }).waitMs).toBe(7_000);
  });

  it("uses x-ratelimit-reset (epoch seconds) when Retry-After is absent", () => {
    const reset = String(NOW / 1000 + 12);
    const decision = decideRetry({ ...base, status: 429, attempt: 2, rateLimitResetHeader: reset });
    expect(decision.waitMs).toBe(12_000);
  });

  it("caps a header wait at 60 s by default and at capMs when given", () => {
    expect(decideRetry({ ...base, status: 429, attempt: 1, retryAfterHeader: "3600" }).waitMs).toBe(60_000);
    const capped = decideRetry({ ...base, status: 429, attempt: 1, retryAfterHeader: "30", capMs: 10_000 });
    expect(capped.waitMs).toBe(10_000);
  });

  it("ignores an unparsable Retry-After and falls back to the table", () => {
    expect(decideRetry({ ...base, status: 429, attempt: 3, retryAfterHeader: "soon" }).waitMs).toBe(9_000);
  });

  it("never waits at scale 0", () => {
    expect(decideRetry({ ...base, scale: 0, status: 503, attempt: 3 })).toMatchObject({
      kind: "retry",
      waitMs: 0,
    });
  });

  it("rejects an attempt below 1 or a call with neither status nor error code", () => {
    expect(() => decideRetry({ ...base, status: 503, attempt: 0 })).toThrow(/attempt/);
    expect(() => decideRetry({ ...base, attempt: 1 })).toThrow(/status or an errorCode/);
  });
});
