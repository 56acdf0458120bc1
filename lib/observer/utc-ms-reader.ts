/**
 * Timestamps to milliseconds since `originMs`, exactly as Date.UTC / Date.parse minus `originMs`,
 * for many in a row. Date.parse was most of a pass over 100,000 runs, so the common
 * `YYYY-MM-DDTHH:MM:SSZ` shape is read digit by digit (the schema already checked it is a real
 * date); anything else goes to Date.parse.
 *
 * Runs come roughly in time order, so most fall on the previous one's day: Date.UTC is asked for
 * the start of each new day only, and the time of day is added here. Times near the origin also
 * stay small integers, which V8's unoptimized code does not box (see WindowRuns).
 */
export class UtcMsReader {
  // Small integers from the start (no month is below −529), so V8 keeps these fields unboxed.
  private year = 0;
  private month = -1000;
  private day = 0;
  /** Start of that day since the origin. */
  private dayAt = 0;
  /** The day is too near Date's limits to add times here. */
  private nearLimits = false;
  /** Reads left that take the new-day path whatever the day (see read). */
  private warmUp = 32;

  constructor(private readonly originMs: number) {}

  read(v: string): number {
    if (v.length !== 20 || v.charCodeAt(19) !== 90 /* Z */) return Date.parse(v) - this.originMs;
    // Two digits at i: (c[i] − 48)·10 + (c[i+1] − 48) = c[i]·10 + c[i+1] − 528.
    const year =
      v.charCodeAt(0) * 1000 + v.charCodeAt(1) * 100 + v.charCodeAt(2) * 10 + v.charCodeAt(3) - 53_328;
    const month = v.charCodeAt(5) * 10 + v.charCodeAt(6) - 529; // 0-based, as Date.UTC takes it
    const day = v.charCodeAt(8) * 10 + v.charCodeAt(9) - 528;
    const hour = v.charCodeAt(11) * 10 + v.charCodeAt(12) - 528;
    const minute = v.charCodeAt(14) * 10 + v.charCodeAt(15) - 528;
    const second = v.charCodeAt(17) * 10 + v.charCodeAt(18) - 528;
    // The first reads take the new-day path even on the same day: V8 gathers type feedback only
    // once a function has run a few times, and compiles the calling loop from it; a path first
    // taken later, at the next new day, would throw the compiled loop away.
    if (this.warmUp > 0 || year !== this.year || month !== this.month || day !== this.day) {
      this.startDay(year, month, day);
    }
    if (this.nearLimits) return Date.UTC(year, month, day, hour, minute, second) - this.originMs;
    return this.dayAt + hour * 3_600_000 + minute * 60_000 + second * 1000;
  }

  private startDay(year: number, month: number, day: number): void {
    this.warmUp--;
    this.year = year;
    this.month = month;
    this.day = day;
    // Date.UTC adds the time of day exactly (whole numbers far below 2^53) and clips only beyond
    // ±8.64e15 ms; well inside that, adding it here gives the same number.
    const dayMs = Date.UTC(year, month, day);
    this.nearLimits = !(Math.abs(dayMs) <= 8.6e15);
    const dayAt = dayMs - this.originMs;
    // As a small integer where it is one: a field that once held a heap number boxes every read.
    if (!this.nearLimits) this.dayAt = (dayAt | 0) === dayAt ? dayAt | 0 : dayAt;
  }
}
