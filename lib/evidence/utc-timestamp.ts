import { z } from "zod";

/**
 * ISO 8601 UTC timestamps as the event files carry them. Date.parse rolls 2025-02-30 over to
 * March 2, so the calendar fields are checked themselves (cheaply: a hot path at 100,000 runs).
 */
export function isRealUtcDateTime(v: string): boolean {
  const year = Number(v.slice(0, 4));
  const month = Number(v.slice(5, 7));
  const day = Number(v.slice(8, 10));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  const hour = Number(v.slice(11, 13));
  const minute = Number(v.slice(14, 16));
  const second = Number(v.slice(17, 19));
  return month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59;
}

/** Ends in Z: what the tools write (manifest entries, generated_at_utc). */
export const utcTimestampZ = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, "an ISO 8601 UTC timestamp ending in Z")
  .refine(isRealUtcDateTime, "a real calendar date and time");

/** Also accepts a +00:00 / -00:00 offset: what people and other tools hand to an import. */
export const utcTimestamp = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]00:00)$/,
    "an ISO 8601 UTC timestamp like 2025-11-14T09:30:00Z",
  )
  .refine(isRealUtcDateTime, "a real calendar date and time");
