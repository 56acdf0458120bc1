import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { executeWithRetry, type OperationResponse } from "./executor";

const NOW = Date.parse("2025-01-01T00:00:00Z");

/** Answers from a script, one per call; an Error entry is thrown instead of answered. */
function scripted(answers: Array<OperationResponse | Error>) {
  const calls: number[] = [];
  const operation = async (attempt: number): Promise<OperationResponse> => {
    calls.push(attempt);
    const answer = answers[calls.length - 1];
    if (answer === undefined) throw new Error(`script ran out after ${calls.length - 1} calls`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { operation, calls };
}

function recordingSleep() {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  return { sleep, waits };
}

function connectionError(code: string): Error {
  return Object.assign(new Error(`socket: ${code}`), { code });
}

const statuses = (...codes: number[]) => codes.map((status) => ({ status }));

describe("executeWithRetry", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("succeeds after exactly 3 calls on [503, 503, 201]", async () => {
    const { operation, calls } = scripted(statuses(503, 503, 201));
    const { sleep, waits } = recordingSleep();
    const result = await executeWithRetry(operation, { scale: 1, sleep, now: () => NOW });
    expect(calls).toEqual([1, 2, 3]);
    expect(result).toMatchObject({ outcome: "success", attempts: 3, lastStatus: 201, retryExhausted: false });
    expect(waits).toEqual([5_000, 15_000]);
  });

  it("exhausts after exactly 4 calls on [503, 503, 503, 503]", async () => {
    const { operation, calls } = scripted(statuses(503, 503, 503, 503, 201));
    const { sleep } = recordingSleep();
    const result = await executeWithRetry(operation, { scale: 1, sleep });
    expect(calls).toHaveLength(4);
    expect(result).toMatchObject({
      outcome: "exhausted",
      attempts: 4,
      lastStatus: 503,
      retryExhausted: true,
    });
    expect(result.decisions.at(-1)?.decision.kind).toBe("give-up-exhausted");
  });

  it.each([
    [422, "refuse-input"],
    [403, "refuse-secrets"],
  ])("refuses %i after exactly 1 call", async (status, kind) => {
    const { operation, calls } = scripted(statuses(status, 201));
    const result = await executeWithRetry(operation, { scale: 1, sleep: recordingSleep().sleep });
    expect(calls).toHaveLength(1);
    expect(result).toMatchObject({ outcome: "refused", attempts: 1, retryExhausted: false });
    expect(result.decisions[0]?.decision.kind).toBe(kind);
  });

  it("counts 409 as success after 1 call", async () => {
    const { operation, calls } = scripted(statuses(409));
    const result = await executeWithRetry(operation, { scale: 1 });
    expect(calls).toHaveLength(1);
    expect(result).toMatchObject({ outcome: "success", lastStatus: 409 });
  });

  it("takes the 429 wait from Retry-After, scaled", async () => {
    const { operation, calls } = scripted([
      { status: 429, headers: { "Retry-After": "2" } },
      { status: 201 },
    ]);
    const { sleep, waits } = recordingSleep();
    const result = await executeWithRetry(operation, { scale: 0.25, sleep });
    expect(calls).toHaveLength(2);
    expect(waits).toEqual([500]);
    expect(result.outcome).toBe("success");
  });

  it("takes the 429 wait from a Retry-After HTTP date, capped", async () => {
    const later = new Date(NOW + 30_000).toUTCString();
    const { operation } = scripted([{ status: 429, headers: { "retry-after": later } }, { status: 201 }]);
    const { sleep, waits } = recordingSleep();
    await executeWithRetry(operation, { scale: 1, sleep, now: () => NOW, capMs: 20_000 });
    expect(waits).toEqual([20_000]);
  });

  it("retries a reset connection, then reports the next status", async () => {
    const { operation, calls } = scripted([connectionError("ECONNRESET"), { status: 201 }]);
    const decisions: Array<string | number | undefined> = [];
    const result = await executeWithRetry(operation, {
      scale: 0,
      onDecision: (record) => decisions.push(record.errorCode ?? record.status),
    });
    expect(calls).toHaveLength(2);
    expect(result.outcome).toBe("success");
    expect(decisions).toEqual(["ECONNRESET", 201]);
  });

  it("lets an error without a code propagate", async () => {
    const { operation, calls } = scripted([new TypeError("bug in the caller"), { status: 201 }]);
    await expect(executeWithRetry(operation, { scale: 0 })).rejects.toThrow(/bug in the caller/);
    expect(calls).toHaveLength(1);
  });

  it("never calls sleep at scale 0", async () => {
    const { operation } = scripted(statuses(503, 429, 502, 500));
    const sleep = vi.fn(async () => {});
    const result = await executeWithRetry(operation, { scale: 0, sleep });
    expect(sleep).not.toHaveBeenCalled();
    expect(result.decisions.map((record) => record.waitMs)).toEqual([0, 0, 0, 0]);
  });

  it("rejects with the signal's reason within a few ms when aborted during a wait", async () => {
    const { operation, calls } = scripted(statuses(503, 201));
    const controller = new AbortController();
    const reason = new Error("kill switch engaged");
    const started = performance.now();
    setTimeout(() => controller.abort(reason), 20);
    await expect(executeWithRetry(operation, { scale: 1, signal: controller.signal })).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(calls).toHaveLength(1);
  });

  it("waits 5, 15, 45 s and 1, 4, 9 s with the default sleep at scale 1", async () => {
    vi.useFakeTimers();
    for (const [status, expected] of [
      [503, [5_000, 15_000, 45_000]],
      [429, [1_000, 4_000, 9_000]],
    ] as const) {
      const callTimes: number[] = [];
      const start = Date.now();
      const run = executeWithRetry(
        async () => {
          callTimes.push(Date.now() - start);
          return { status };
        },
        { scale: 1 },
      );
      for (const wait of expected) {
        await vi.advanceTimersByTimeAsync(wait - 1);
        const before = callTimes.length;
        await vi.advanceTimersByTimeAsync(1);
        expect(callTimes.length).toBe(before + 1);
      }
      await expect(run).resolves.toMatchObject({ outcome: "exhausted", attempts: 4 });
      const gaps = callTimes.slice(1).map((time, index) => time - (callTimes[index] ?? 0));
      expect(gaps).toEqual(expected);
    }
  });

  it("never calls more than 4 times and never shortens a wait on 5xx (property)", async () => {
    const answer = fc.oneof(fc.integer({ min: 500, max: 599 }), fc.constant(201));
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 8 }), async (codes) => {
        const calls: number[] = [];
        // past the script the server keeps failing, so a runaway loop would show
        const operation = async (attempt: number) => {
          calls.push(attempt);
          return { status: codes[attempt - 1] ?? 503 };
        };
        const { sleep, waits } = recordingSleep();
        await executeWithRetry(operation, { scale: 1, sleep });
        expect(calls.length).toBeLessThanOrEqual(4);
        waits.forEach((wait, index) => expect(wait).toBeGreaterThanOrEqual(waits[index - 1] ?? 0));
      }),
    );
  });
});
