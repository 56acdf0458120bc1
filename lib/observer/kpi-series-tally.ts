import type { SeriesBucket } from "./kpis";
import { emptyBucket } from "./kpi-series";
import { p50p90Sec } from "./kpi-percentiles";
import type { Hours } from "./completion-walk";
import { DAY_MS, isoSeconds } from "./kpi-window";

type Percentiles = [p50: number | null, p90: number | null];

export interface Series {
  hourly: SeriesBucket[];
  daily: SeriesBucket[];
  /** p50 and p90 of every duration in the window. */
  latency: Percentiles;
}

/**
 * The hourly and daily series (buckets start at t − t % step, UTC hours and days; only those that
 * saw a run, oldest first) and the window's latency percentiles, from the hours the walk in
 * completion order tallied. A day's hours come one after another, so every hour's durations,
 * every day's and the window's are ranges of one array: no map of buckets, no copies.
 */
export function tallySeries(hours: Hours, originMs: number): Series {
  const hourly: SeriesBucket[] = [];
  const daily: SeriesBucket[] = [];
  let day = emptyBucket("");
  let dayKey = NaN;
  let dayFrom = 0;
  // Percentile selection reorders values only within the range it is given: hours go first,
  // then the day holding them, then the whole window.
  const close = (bucket: SeriesBucket, from: number, to: number) => {
    [bucket.p50_duration_sec, bucket.p90_duration_sec] = p50p90Sec(hours.durations.subarray(from, to));
  };
  for (let h = 0; h < hours.count; h++) {
    const key = hours.start[h]!;
    const from = h === 0 ? 0 : hours.durationEnd[h - 1]!;
    const hour = emptyBucket(isoSeconds(originMs + key));
    hour.success = hours.success[h]!;
    hour.failure = hours.failure[h]!;
    hour.cancelled = hours.cancelled[h]!;
    hour.total = hour.success + hour.failure + hour.cancelled;
    hour.parity_pass = hours.parity[h]!;
    hour.retries = hours.retries[h]!;
    close(hour, from, hours.durationEnd[h]!);
    hourly.push(hour);

    const startOfDay = key - (key % DAY_MS);
    if (startOfDay !== dayKey) {
      if (h > 0) close(day, dayFrom, from);
      day = emptyBucket(isoSeconds(originMs + startOfDay));
      daily.push(day);
      dayKey = startOfDay;
      dayFrom = from;
    }
    day.total += hour.total;
    day.success += hour.success;
    day.failure += hour.failure;
    day.cancelled += hour.cancelled;
    day.parity_pass += hour.parity_pass;
    day.retries += hour.retries;
  }
  const end = hours.count === 0 ? 0 : hours.durationEnd[hours.count - 1]!;
  if (hours.count > 0) close(day, dayFrom, end);
  return { hourly, daily, latency: p50p90Sec(hours.durations.subarray(0, end)) };
}
