import { describe, expect, it } from "vitest";
import { utcTimestamp, utcTimestampZ } from "./utc-timestamp";

describe("UTC timestamps", () => {
  it("accepts real instants", () => {
    for (const v of ["2025-11-14T09:30:00Z", "2024-02-29T23:59:59.123Z"])
      expect(utcTimestampZ.safeParse(v).success).toBe(true);
    expect(utcTimestamp.safeParse("2025-11-14T09:30:00+00:00").success).toBe(true);
  });

  it("refuses dates a lenient parser would roll over", () => {
    for (const v of [
      "2025-02-30T09:00:00Z",
      "2025-02-29T09:00:00Z",
      "2025-13-01T00:00:00Z",
      "2025-04-31T00:00:00Z",
      "2025-01-01T24:00:00Z",
    ]) {
      expect(utcTimestampZ.safeParse(v).success, v).toBe(false);
    }
  });

  it("refuses local times and other offsets", () => {
    expect(utcTimestampZ.safeParse("2025-11-14T09:30:00+00:00").success).toBe(false);
    expect(utcTimestamp.safeParse("2025-11-14T09:30:00+02:00").success).toBe(false);
    expect(utcTimestamp.safeParse("2025-11-14 09:30:00").success).toBe(false);
  });
});
