import { InputError } from "../errors";

/**
 * Percentiles as DESIGN §6 defines them: linear interpolation between closest ranks (R-7, Excel
 * PERCENTILE.INC): h = (n − 1)·p, interpolated between the values at floor(h) and ceil(h).
 * Only values > 0 count (a zero or negative duration is a recording gap, not a fast run).
 */
export function percentile(values: readonly number[], p: number): number | null {
  const sorted = values.filter((v) => v > 0 && Number.isFinite(v)).sort((a, b) => a - b);
  return percentileOfSorted(sorted, p);
}

/** The same over values already filtered to > 0 and sorted ascending: one sort, many percentiles. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new InputError(`percentile: expected p between 0 and 1, got ${p}`);
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const low = sorted[lo] ?? 0;
  const high = sorted[hi] ?? low;
  return low + (h - lo) * (high - low);
}
