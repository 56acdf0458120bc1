/**
 * The runs inside the KPI window as columns (typed arrays) rather than an object per run: at
 * 100,000 runs, allocating and chasing those objects was most of computeKpis' time. Position p
 * (0 … count − 1) is the p-th in-window run in input order; `index[p]` is where it sits in the
 * input array, for the few fields only the self-heal search reads.
 *
 * computeKpis runs mostly once per process, and then most of it runs before V8 has optimized
 * it. Hence two habits in these modules. One hot loop per function: code after a loop has not run
 * when V8 compiles the loop, and reaching it would throw the compiled code away. And times as
 * small integers: unoptimized code allocates a heap number for every other number it reads or
 * computes, enough for a garbage collection pass over the freshly parsed runs on the first call.
 */
export interface WindowRuns {
  count: number;
  index: Int32Array;
  /**
   * Completion times as milliseconds since `originMs`, the start of the UTC day of the window's
   * start (0, the epoch, for windows reaching before it): a whole number of days, so hour and
   * day buckets come out the same from these as from epoch times. Int32 when the window allows.
   */
  completedAt: Int32Array | Float64Array;
  originMs: number;
  /** SUCCESS, FAILURE or CANCELLED. */
  status: Uint8Array;
  /** 1 when sha_parity holds. */
  parity: Uint8Array;
  retries: Float64Array;
  durationSec: Float64Array;
  /** The same where a 32-bit integer (as nearly always), else NOT_INT: read without boxing. */
  retriesInt: Int32Array;
  durationInt: Int32Array;
  /** No durationInt is NOT_INT. */
  wholeDurations: boolean;
  /** Positions by completion time, ties in input order. */
  order: Int32Array;
}

export const SUCCESS = 0;
export const FAILURE = 1;
export const CANCELLED = 2;

/**
 * Marks a value of WindowRuns.retriesInt / durationInt to be read from the Float64 column (where
 * NOT_INT itself, were it a value, reads the same).
 */
export const NOT_INT = -0x8000_0000;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Seconds to the millisecond, so reports do not carry floating-point noise. */
export const seconds = (value: number) => Math.round(value * 1e3) / 1e3;

export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * The origin of WindowRuns.completedAt, and the column to hold the window's times, (startMs,
 * asOfMs]. Epoch times before 1970 are bucketed toward zero (t − t % step), which an origin would
 * shift: windows reaching that far keep epoch times.
 */
export function timeColumn(startMs: number, asOfMs: number, length: number) {
  const originMs = startMs >= 0 ? Math.floor(startMs / DAY_MS) * DAY_MS : 0;
  const fitsInt32 = asOfMs - originMs < 2 ** 31 && startMs - originMs > -(2 ** 31);
  return { originMs, completedAt: fitsInt32 ? new Int32Array(length) : new Float64Array(length) };
}

/**
 * The positions sorted by completion time, ties by position. Runs already in completion order
 * (`sorted`, as the reading pass saw) need no sort. Otherwise the native Float64Array sort does
 * it, on keys that encode both (no comparator calls, and as fast on the first call as later);
 * a comparator sort remains for spans of more than years.
 */
export function completionOrder(
  completedAt: Int32Array | Float64Array,
  count: number,
  { sorted, earliestAt, latestAt }: { sorted: boolean; earliestAt: number; latestAt: number },
): Int32Array {
  if (sorted) return positions(count);
  const span = latestAt - earliestAt;
  if (span < 0x7ff0_0000) return sortByWords(completedAt, count, earliestAt);
  // Times are whole milliseconds (Date.UTC and Date.parse clip to whole ones): t·count + p is exact.
  if ((span + 1) * count <= Number.MAX_SAFE_INTEGER) return sortByNumbers(completedAt, count, earliestAt);
  return positions(count).sort((a, b) => completedAt[a]! - completedAt[b]! || a - b);
}

function positions(count: number): Int32Array {
  const order = new Int32Array(count);
  for (let p = 0; p < count; p++) order[p] = p;
  return order;
}

const LOW_WORD = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;

/**
 * Positive doubles order like their bits read as an unsigned integer, high word first. A double
 * made of the time (since the earliest) as high word and the position as low word sorts by time,
 * then position; both are written and read through an Int32 view, so no number beyond 2^31 is
 * ever computed (unoptimized code would allocate each). Below 0x7FF00000 ms (24.8 days) the high
 * word spells no infinity or NaN.
 */
function sortByWords(completedAt: Int32Array | Float64Array, count: number, earliestAt: number): Int32Array {
  const keys = new Float64Array(count);
  const words = new Int32Array(keys.buffer);
  writeWords(words, completedAt, count, earliestAt);
  keys.sort();
  return lowWords(words, count);
}

function writeWords(
  words: Int32Array,
  completedAt: Int32Array | Float64Array,
  count: number,
  earliestAt: number,
) {
  for (let p = 0; p < count; p++) {
    words[2 * p + HIGH_WORD] = completedAt[p]! - earliestAt;
    words[2 * p + LOW_WORD] = p;
  }
}

function lowWords(words: Int32Array, count: number): Int32Array {
  const order = new Int32Array(count);
  for (let j = 0; j < count; j++) order[j] = words[2 * j + LOW_WORD]!;
  return order;
}

function sortByNumbers(
  completedAt: Int32Array | Float64Array,
  count: number,
  earliestAt: number,
): Int32Array {
  const keys = new Float64Array(count);
  for (let p = 0; p < count; p++) keys[p] = (completedAt[p]! - earliestAt) * count + p;
  keys.sort();
  return Int32Array.from(keys, (key) => key % count);
}
