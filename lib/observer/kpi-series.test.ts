import { describe, expect, it } from "vitest";
import { emptyBucket, fillSeries, summarizeSeries } from "./kpi-series";
import type { SeriesBucket } from "./kpis";

const bucket = (start: string, over: Partial<SeriesBucket> = {}): SeriesBucket => ({
  ...emptyBucket(start),
  total: 2,
  success: 2,
  parity_pass: 2,
  p50_duration_sec: 60,
  p90_duration_sec: 90,
  ...over,
});

describe("the charts' series", () => {
  it("gives every hour of the window a bucket, keeping the computed ones", () => {
    const computed = [bucket("2026-03-10T11:00:00Z", { total: 5 })];
    const filled = fillSeries(computed, { asOf: "2026-03-10T12:30:00Z", windowDays: 1, granularity: "hour" });
    // (12:30 yesterday, 12:30 today]: the hours starting 12:00 yesterday … 12:00 today.
    expect(filled).toHaveLength(25);
    expect(filled[0]?.bucket_start_utc).toBe("2026-03-09T12:00:00Z");
    expect(filled.at(-1)?.bucket_start_utc).toBe("2026-03-10T12:00:00Z");
    expect(filled.find((b) => b.total > 0)).toBe(computed[0]);
    expect(filled.filter((b) => b.total === 0).every((b) => b.p50_duration_sec === null)).toBe(true);
  });

  it("gives every day of the window a bucket, on whole UTC days", () => {
    const filled = fillSeries([], { asOf: "2026-03-10T00:00:00Z", windowDays: 7, granularity: "day" });
    expect(filled.map((b) => b.bucket_start_utc.slice(0, 10))).toEqual([
      "2026-03-03",
      "2026-03-04",
      "2026-03-05",
      "2026-03-06",
      "2026-03-07",
      "2026-03-08",
      "2026-03-09",
      "2026-03-10",
    ]);
  });

  it("states the totals and peaks the text alternative reads out", () => {
    const s = summarizeSeries([
      bucket("2026-03-10T10:00:00Z", {
        total: 3,
        failure: 1,
        parity_pass: 2,
        retries: 2,
        p90_duration_sec: 300,
      }),
      emptyBucket("2026-03-10T11:00:00Z"),
      bucket("2026-03-10T12:00:00Z", { total: 7, cancelled: 1, retries: 5, p50_duration_sec: 30 }),
    ]);
    expect(s).toEqual({
      buckets: 3,
      total: 10,
      failure: 1,
      cancelled: 1,
      parityMismatch: 6,
      mismatchBuckets: 2,
      retries: 7,
      busiest: { bucket_start_utc: "2026-03-10T12:00:00Z", total: 7 },
      mostRetries: { bucket_start_utc: "2026-03-10T12:00:00Z", retries: 5 },
      p50Range: { min: 30, max: 60 },
      p90Peak: { bucket_start_utc: "2026-03-10T10:00:00Z", sec: 300 },
    });
  });
});
