import type { Granularity, SeriesSummary } from "@/lib/observer/kpi-series";
import { formatBucket, formatNumber, formatSpan } from "./kpi-format";

/**
 * The charts' text alternative: one sentence per chart with the figures a reader would look for
 * in the picture (totals, the peak and where it is).
 */
export interface SeriesText {
  status: string;
  parity: string;
  duration: string;
  retries: string;
}

export function describeSeries(s: SeriesSummary, granularity: Granularity): SeriesText {
  const byHour = granularity === "hour";
  const unit = byHour ? "hour" : "day";
  const span = `the window's ${formatNumber(s.buckets)} ${unit}${s.buckets === 1 ? "" : "s"} (UTC)`;
  const at = (iso: string) => `${formatBucket(iso, byHour)} UTC`;
  if (s.total === 0) {
    const none = `No runs completed in ${span}.`;
    return { status: none, parity: none, duration: none, retries: none };
  }
  return {
    status:
      `${formatNumber(s.total)} runs in ${span}: ${formatNumber(s.failure)} failed, ${formatNumber(s.cancelled)} cancelled` +
      (s.busiest
        ? `; the busiest ${unit} was ${at(s.busiest.bucket_start_utc)} with ${formatNumber(s.busiest.total)}.`
        : "."),
    parity:
      s.parityMismatch === 0
        ? `Every run's SHA parity matched over ${span}.`
        : `${formatNumber(s.parityMismatch)} parity mismatch(es) in ${formatNumber(s.mismatchBuckets)} of ${span}.`,
    duration:
      s.p50Range && s.p90Peak
        ? `p50 duration per ${unit} ranged from ${formatSpan(s.p50Range.min)} to ${formatSpan(s.p50Range.max)}; p90 peaked at ${formatSpan(s.p90Peak.sec)} in ${at(s.p90Peak.bucket_start_utc)}.`
        : "No run recorded a duration.",
    retries:
      s.retries === 0
        ? `No retries over ${span}.`
        : `${formatNumber(s.retries)} retries over ${span}` +
          (s.mostRetries
            ? `; most in ${at(s.mostRetries.bucket_start_utc)} (${formatNumber(s.mostRetries.retries)}).`
            : "."),
  };
}
