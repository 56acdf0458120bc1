import type { SeriesBucket } from "./kpis";

/**
 * The charts' time axis: computeKpis returns only the hours and days that saw a run; a chart
 * needs every bucket of the window, empty ones as zero runs (and no duration), so gaps show as
 * gaps and not as a line drawn across them.
 */
export type Granularity = "hour" | "day";

const STEP_MS: Record<Granularity, number> = { hour: 3_600_000, day: 86_400_000 };
/** Enough for 90 days by the hour; a bigger span is a caller's mistake, not a chart. */
const MAX_BUCKETS = 2_200;

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function emptyBucket(bucketStartUtc: string): SeriesBucket {
  return {
    bucket_start_utc: bucketStartUtc,
    total: 0,
    success: 0,
    failure: 0,
    cancelled: 0,
    parity_pass: 0,
    retries: 0,
    p50_duration_sec: null,
    p90_duration_sec: null,
  };
}

/**
 * Every bucket from the one holding the window's start to the one holding `asOf`, taking the
 * computed bucket where there is one. The window is (asOf − windowDays, asOf], as computeKpis has it.
 */
export function fillSeries(
  buckets: readonly SeriesBucket[],
  options: { asOf: string; windowDays: number; granularity: Granularity },
): SeriesBucket[] {
  const step = STEP_MS[options.granularity];
  const asOfMs = Date.parse(options.asOf);
  if (Number.isNaN(asOfMs)) return [...buckets];
  // The first instant inside the window is one millisecond after its start.
  const startMs = asOfMs - options.windowDays * STEP_MS.day + 1;
  const first = startMs - (startMs % step);
  const last = asOfMs - (asOfMs % step);
  if ((last - first) / step > MAX_BUCKETS) return [...buckets];
  const byStart = new Map(buckets.map((b) => [Date.parse(b.bucket_start_utc), b]));
  const filled: SeriesBucket[] = [];
  for (let ms = first; ms <= last; ms += step) {
    filled.push(byStart.get(ms) ?? emptyBucket(isoSeconds(ms)));
  }
  return filled;
}

export interface SeriesSummary {
  buckets: number;
  total: number;
  failure: number;
  cancelled: number;
  parityMismatch: number;
  /** Buckets that saw at least one parity mismatch. */
  mismatchBuckets: number;
  retries: number;
  busiest: { bucket_start_utc: string; total: number } | null;
  mostRetries: { bucket_start_utc: string; retries: number } | null;
  p50Range: { min: number; max: number } | null;
  p90Peak: { bucket_start_utc: string; sec: number } | null;
}

/** The figures the charts' text alternative states, in one pass over the buckets. */
export function summarizeSeries(buckets: readonly SeriesBucket[]): SeriesSummary {
  const s: SeriesSummary = {
    buckets: buckets.length,
    total: 0,
    failure: 0,
    cancelled: 0,
    parityMismatch: 0,
    mismatchBuckets: 0,
    retries: 0,
    busiest: null,
    mostRetries: null,
    p50Range: null,
    p90Peak: null,
  };
  for (const b of buckets) {
    s.total += b.total;
    s.failure += b.failure;
    s.cancelled += b.cancelled;
    s.retries += b.retries;
    const mismatch = b.total - b.parity_pass;
    s.parityMismatch += mismatch;
    if (mismatch > 0) s.mismatchBuckets++;
    if (b.total > 0 && b.total > (s.busiest?.total ?? 0))
      s.busiest = { bucket_start_utc: b.bucket_start_utc, total: b.total };
    if (b.retries > 0 && b.retries > (s.mostRetries?.retries ?? 0)) {
      s.mostRetries = { bucket_start_utc: b.bucket_start_utc, retries: b.retries };
    }
    if (b.p50_duration_sec !== null) {
      s.p50Range = {
        min: Math.min(s.p50Range?.min ?? Infinity, b.p50_duration_sec),
        max: Math.max(s.p50Range?.max ?? -Infinity, b.p50_duration_sec),
      };
    }
    if (b.p90_duration_sec !== null && b.p90_duration_sec > (s.p90Peak?.sec ?? -Infinity)) {
      s.p90Peak = { bucket_start_utc: b.bucket_start_utc, sec: b.p90_duration_sec };
    }
  }
  return s;
}
