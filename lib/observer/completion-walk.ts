import { FAILURE, HOUR_MS, NOT_INT, SUCCESS, type WindowRuns } from "./kpi-window";
import type { SelfHealScan } from "./self-heals";

/**
 * The one walk over the window's runs in completion order, for the two things that need that
 * order: the hourly tallies of the series, and rule 2 of the self-heal search (the next success of
 * the stream). One walk, not two: computeKpis runs mostly before V8 has optimized it, and until
 * then every loop over 100,000 runs costs milliseconds.
 */
export interface CompletionWalk {
  hours: Hours;
  /** Per position of a failure: the next success of its stream completed after it (rule 2), −1 for none. */
  nextSuccess: Int32Array;
  /** The failures' positions in completion order, ties in input order (replaced ones left out). */
  byCompletion: Int32Array;
}

/**
 * Per UTC hour that saw a run, in order: its start (t − t % hour, since originMs), counts, and
 * where its durations end. Every hour's durations, and so every day's, are a range of `durations`.
 */
export interface Hours {
  count: number;
  start: Float64Array;
  success: Int32Array;
  failure: Int32Array;
  cancelled: Int32Array;
  parity: Int32Array;
  retries: Float64Array;
  durationEnd: Int32Array;
  /** The positive durations in completion order, whole numbers where they all are (see WindowRuns). */
  durations: Int32Array | Float64Array;
}

export function walkInCompletionOrder(win: WindowRuns, scan: SelfHealScan): CompletionWalk {
  const { count, order, completedAt, status, parity, retries, durationSec, retriesInt, durationInt } = win;
  const { streamOf } = scan;
  const replaced = scan.replacedFailures(count, status);
  const hours = allocateHours(win);
  const { start, success, failure, cancelled, durations } = hours;
  const nextSuccess = new Int32Array(count).fill(-1);
  const byCompletion = new Int32Array(scan.failureCount);
  // Per stream, its failures still waiting for a success, newest first (a linked list).
  const waitingHead = new Int32Array(scan.streams.count).fill(-1);
  const waitingNext = new Int32Array(count);
  let listed = 0;
  let h = -1;
  let hourStart = NaN;
  // The current hour's sums stay in local variables: unoptimized code updates those unboxed.
  let passed = 0;
  let retrySum = 0;
  let timed = 0;
  for (let j = 0; j < count; j++) {
    const p = order[j]!;
    const t = completedAt[p]!;
    const startOfHour = t - (t % HOUR_MS);
    if (startOfHour !== hourStart) {
      if (h >= 0) closeHour(hours, h, passed, retrySum, timed);
      start[++h] = hourStart = startOfHour;
      passed = retrySum = 0;
    }
    const s = status[p];
    if (s === SUCCESS) {
      success[h]!++;
      // It heals its stream's waiting failures, but those of its own instant (the newest).
      const stream = streamOf[p]!;
      let f = waitingHead[stream]!;
      let kept = -1;
      for (; f !== -1 && completedAt[f] === t; f = waitingNext[f]!) kept = f;
      if (kept === -1) waitingHead[stream] = -1;
      else waitingNext[kept] = -1;
      for (; f !== -1; f = waitingNext[f]!) nextSuccess[f] = p;
    } else if (s === FAILURE) {
      failure[h]!++;
      if (replaced === null || replaced[p] === 0) {
        byCompletion[listed++] = p;
        waitingNext[p] = waitingHead[streamOf[p]!]!;
        waitingHead[streamOf[p]!] = p;
      }
    } else {
      cancelled[h]!++;
    }
    passed += parity[p]!;
    const r = retriesInt[p]!;
    retrySum += r !== NOT_INT ? r : retries[p]!;
    const di = durationInt[p]!;
    const d = di !== NOT_INT ? di : durationSec[p]!;
    if (d > 0) durations[timed++] = d;
  }
  if (h >= 0) closeHour(hours, h, passed, retrySum, timed);
  hours.count = h + 1;
  return { hours, nextSuccess, byCompletion };
}

function closeHour(hours: Hours, h: number, passed: number, retrySum: number, timed: number): void {
  hours.parity[h] = passed;
  hours.retries[h] = retrySum;
  hours.durationEnd[h] = timed;
}

function allocateHours(win: WindowRuns): Hours {
  const { count, order, completedAt } = win;
  // No more hours than runs, nor than the span holds (an hour bucket is at most two hours wide:
  // t − t % step rounds toward zero, so the one starting at 0 also holds the hour before 1970).
  const span = count === 0 ? 0 : completedAt[order[count - 1]!]! - completedAt[order[0]!]!;
  const capacity = Math.min(count, Math.floor(span / HOUR_MS) + 2);
  return {
    count: 0,
    start: new Float64Array(capacity),
    success: new Int32Array(capacity),
    failure: new Int32Array(capacity),
    cancelled: new Int32Array(capacity),
    parity: new Int32Array(capacity),
    retries: new Float64Array(capacity),
    durationEnd: new Int32Array(capacity),
    // Whole numbers where they all are: V8 then selects percentiles without boxing each value.
    durations: win.wholeDurations ? new Int32Array(count) : new Float64Array(count),
  };
}
