import { percentileOfSorted } from "./percentile";
import { seconds } from "./kpi-window";

/**
 * p50 and p90 of durations already filtered to > 0, in seconds (null when there are none), as
 * percentileOfSorted computes them, without sorting: it reads only the two ranks around
 * (n − 1)·p, so just those are put in place, by selection (linear on average, where a sort was
 * n log n). Reorders `values`.
 */
export function p50p90Sec(values: Int32Array | Float64Array): [number | null, number | null] {
  const last = values.length - 1;
  const h50 = last * 0.5;
  const h90 = last * 0.9;
  let from = 0;
  // Ascending but for repeats; a rank below `from` is one already placed.
  for (const k of [Math.floor(h50), Math.ceil(h50), Math.floor(h90), Math.ceil(h90)]) {
    if (k < from) continue;
    if (k === from) placeMinimum(values, k);
    else placeRank(values, k, from);
    from = k + 1;
  }
  const sec = (p: number) => {
    const value = percentileOfSorted(values, p);
    return value === null ? null : seconds(value);
  };
  return [sec(0.5), sec(0.9)];
}

/**
 * Hoare's FIND (as Wirth writes it): given a[from..] holds exactly the ranks from.., reorders it
 * so a[k] holds the value of rank k, the smaller ones before it and the larger after, which keeps
 * that precondition true for the ranks after k. Should the pivots keep missing (a pathological
 * order), the rest is sorted instead, so the worst case stays n log n.
 */
function placeRank(a: Int32Array | Float64Array, k: number, from: number): void {
  let lo = from;
  let hi = a.length - 1;
  for (let passes = 0; lo < hi; passes++) {
    if (passes > 64) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const pivot = a[k]!;
    let i = lo;
    let j = hi;
    do {
      while (a[i]! < pivot) i++;
      while (pivot < a[j]!) j--;
      if (i <= j) {
        const x = a[i]!;
        a[i++] = a[j]!;
        a[j--] = x;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
}

/** The rank right after those placed: the smallest of the rest, in one pass. */
function placeMinimum(a: Int32Array | Float64Array, k: number): void {
  let min = k;
  for (let i = k + 1; i < a.length; i++) if (a[i]! < a[min]!) min = i;
  const x = a[k]!;
  a[k] = a[min]!;
  a[min] = x;
}
