import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeRunRecord } from "../../test/support/run-record";
import { runRecordSchema } from "./run-record";
import { checkRunRecordFast } from "./run-record-fast";
import { validateRunsSummary } from "./runs-summary";

/** What zod returns for `value`, or null when it refuses; keys in output order. */
function viaZod(value: unknown) {
  const result = runRecordSchema.safeParse(value);
  return result.success ? result.data : null;
}

const SHA = "ab".repeat(32);

// Values that sit on either side of each rule of the schema.
const fieldValues: Record<string, fc.Arbitrary<unknown>> = {
  run_id: fc.constantFrom("1", "", "x".repeat(100), "x".repeat(101), 7, null),
  trigger_mode: fc.constantFrom("scheduled", "retry", "workflow_run", "Scheduled", "", "a-b", "x".repeat(65)),
  status: fc.constantFrom("success", "failure", "cancelled", "skipped", "", null),
  sha_parity: fc.constantFrom(true, false, "true", 1, null),
  retries: fc.constantFrom(0, 3, -1, 1.5, 2 ** 53, "1", null),
  retry_origin: fc.constantFrom(null, "41", "", 41, undefined),
  run_started_at_utc: fc.constantFrom(
    "2025-11-14T09:00:00Z",
    "2025-11-14T09:00:00.5Z",
    "2025-11-14T09:00:00+00:00",
    "2025-11-14T10:00:00Z",
    "2025-02-29T09:00:00Z",
    "2024-02-29T09:00:00Z",
    "2025-11-14T24:00:00Z",
    "2025-11-14 09:00:00Z",
    "2025-11-14T09:00:00+01:00",
  ),
  run_completed_at_utc: fc.constantFrom(
    "2025-11-14T09:04:00Z",
    "2025-11-14T09:00:00Z",
    "2025-11-14T08:59:59Z",
    "2025-11-14T09:04:00.123456789Z",
    "2025-11-14T09:04:00-00:00",
    "2025-13-01T00:00:00Z",
    "2025-04-31T00:00:00Z",
  ),
  duration_sec: fc.constantFrom(240, 0.001, 0, -1, "240", Number.MAX_VALUE),
  prov_sha: fc.constantFrom(
    "",
    SHA,
    SHA.toUpperCase(),
    SHA.slice(1),
    "zz",
    "\u0010".repeat(64),
    `${SHA.slice(1)}G`,
  ),
  computed_sha: fc.constantFrom("", SHA, `${SHA}0`),
  observer_run_id: fc.constantFrom("obs-1", "", 1),
  observer_notes: fc.constantFrom("", "  ", "digest differs", null),
  window_days: fc.constantFrom(undefined, 7, 0, 1.5, "7"),
  retry_exhausted: fc.constantFrom(undefined, true, false, "false"),
  supabase_response_code: fc.constantFrom(undefined, null, 201, 99, 600, 503.5),
  head_sha: fc.constantFrom(undefined, "abc", 3),
  workflow_name: fc.constantFrom(undefined, "audit", null),
  branch: fc.constantFrom(undefined, "main"),
  source: fc.constantFrom(undefined, "manual", "auto", "other"),
};

const VALID: Record<string, fc.Arbitrary<unknown>> = Object.fromEntries(
  Object.entries(makeRunRecord("1", { source: "manual" })).map(([k, v]) => [k, fc.constant(v)]),
);
for (const k of Object.keys(fieldValues)) VALID[k] ??= fc.constant(undefined);

const record = fc
  .record(
    // Mostly the first (valid) value of each field, so many records pass and the rest probe one rule.
    Object.fromEntries(
      Object.entries(fieldValues).map(([k, v]) => [
        k,
        fc.oneof({ weight: 6, arbitrary: VALID[k] ?? fc.constant(undefined) }, { weight: 1, arbitrary: v }),
      ]),
    ),
  )
  .chain((fields) =>
    fc
      .record({
        extra: fc.option(fc.constantFrom("__proto__", "unknown", "0"), { nil: undefined }),
        shuffle: fc.boolean(),
      })
      .map(({ extra, shuffle }) => {
        const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
        if (extra) entries.push([extra, 1]);
        if (shuffle) entries.reverse();
        // JSON round trip: exactly what the file reader hands over (a "__proto__" key stays a key).
        return JSON.parse(JSON.stringify(Object.fromEntries(entries))) as unknown;
      }),
  );

describe("checkRunRecordFast", () => {
  it("accepts only records zod accepts, returning them exactly as zod does (keys in the same order)", () => {
    let accepted = 0;
    fc.assert(
      fc.property(record, (value) => {
        const fast = checkRunRecordFast(value);
        if (fast === null) return;
        accepted++;
        const zod = viaZod(value);
        expect(zod).not.toBeNull();
        expect(Object.keys(fast)).toEqual(Object.keys(zod ?? {}));
        expect(fast).toEqual(zod);
      }),
      { numRuns: 5000 },
    );
    // Not vacuous: the generator reaches valid records often enough to compare.
    expect(accepted).toBeGreaterThan(50);
  });

  it("takes the common record: every field valid, in the file's order", () => {
    const value = JSON.parse(
      JSON.stringify(viaZod(makeRunRecord("1", { window_days: 7, source: "manual" }))),
    );
    expect(checkRunRecordFast(value)).toBe(value);
  });

  it("leaves a record with an unknown field, keys out of order or a bad value to zod", () => {
    const base = makeRunRecord("1");
    expect(checkRunRecordFast({ ...base, extra: 1 })).toBeNull();
    const { run_id, ...rest } = base;
    expect(checkRunRecordFast({ ...rest, run_id })).toBeNull();
    expect(checkRunRecordFast({ ...base, retries: -1 })).toBeNull();
    expect(checkRunRecordFast({ ...base, sha_parity: false, observer_notes: " " })).toBeNull();
  });
});

describe("validateRunsSummary with the fast path", () => {
  it("keeps zod's messages for bad records and zod's output for unusual but valid ones", () => {
    const reordered = Object.fromEntries(Object.entries(makeRunRecord("2")).reverse());
    const runs = validateRunsSummary([makeRunRecord("1"), reordered], "RUNS_SUMMARY.json");
    expect(runs.map((r) => Object.keys(r))).toEqual([
      Object.keys(makeRunRecord("1")),
      Object.keys(makeRunRecord("1")),
    ]);
    expect(() =>
      validateRunsSummary([makeRunRecord("1", { retries: -1, status: "ok" })], "RUNS_SUMMARY.json"),
    ).toThrow(
      "RUNS_SUMMARY.json: invalid runs summary: [0] (run_id 1) status: expected one of success, failure, cancelled; [0] (run_id 1) retries: expected an integer ≥ 0",
    );
  });
});
