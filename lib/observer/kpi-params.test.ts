import { describe, expect, it } from "vitest";
import { InputError } from "../errors";
import { DEFAULT_WINDOW_DAYS, parseWindowDays, windowFromSearchParam } from "./kpi-params";

describe("window_days of GET /api/kpis", () => {
  it("takes an integer number of days from 1 to 90, and 7 when absent", () => {
    expect(parseWindowDays("1")).toBe(1);
    expect(parseWindowDays("30")).toBe(30);
    expect(parseWindowDays("90")).toBe(90);
    expect(parseWindowDays(null)).toBe(DEFAULT_WINDOW_DAYS);
    expect(parseWindowDays("")).toBe(7);
  });

  it.each(["0", "91", "7.5", "-1", "abc", " 7", "1e1", "0x10"])(
    "refuses '%s' with a message naming window_days and the range",
    (value) => {
      expect(() => parseWindowDays(value)).toThrow(InputError);
      expect(() => parseWindowDays(value)).toThrow(
        `window_days: expected an integer from 1 to 90 (days), got '${value}'`,
      );
    },
  );

  it("falls back to the default for a page link carrying a bad window, and takes the first of several", () => {
    expect(windowFromSearchParam("14")).toBe(14);
    expect(windowFromSearchParam(["3", "30"])).toBe(3);
    expect(windowFromSearchParam("365")).toBe(DEFAULT_WINDOW_DAYS);
    expect(windowFromSearchParam(undefined)).toBe(DEFAULT_WINDOW_DAYS);
  });
});
