import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors";
import { percentile, percentileOfSorted } from "./percentile";

describe("percentile", () => {
  it("interpolates between closest ranks (R-7 / PERCENTILE.INC)", () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 12);
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(percentile([15, 20, 35, 40, 50], 0.4)).toBeCloseTo(29, 12);
    expect(percentile([7], 0.9)).toBe(7);
  });

  it("sorts unsorted input and returns the extremes at p = 0 and p = 1", () => {
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 1)).toBe(4);
    expect(percentile([4, 1, 3, 2], 0.5)).toBeCloseTo(2.5, 12);
  });

  it("ignores values that are not > 0", () => {
    expect(percentile([0, -5, 1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 12);
    expect(percentile([0, -1], 0.5)).toBeNull();
  });

  it("returns null for empty input", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentileOfSorted(new Float64Array(0), 0.9)).toBeNull();
  });

  it("refuses p outside [0, 1]", () => {
    expect(() => percentile([1], 1.5)).toThrow(InputError);
    expect(() => percentile([1], Number.NaN)).toThrow(/between 0 and 1/);
  });

  const positives = fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), {
    minLength: 1,
    maxLength: 200,
  });

  it("is monotone in p and stays within [min, max]", () => {
    fc.assert(
      fc.property(
        positives,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const pLo = percentile(values, lo);
          const pHi = percentile(values, hi);
          expect(pLo).not.toBeNull();
          expect(pHi).not.toBeNull();
          expect(pLo ?? 0).toBeLessThanOrEqual(pHi ?? 0);
          expect(pLo ?? 0).toBeGreaterThanOrEqual(Math.min(...values));
          expect(pHi ?? 0).toBeLessThanOrEqual(Math.max(...values));
        },
      ),
    );
  });

  it("keeps p50 ≤ p90", () => {
    fc.assert(
      fc.property(positives, (values) => {
        expect(percentile(values, 0.5) ?? 0).toBeLessThanOrEqual(percentile(values, 0.9) ?? 0);
      }),
    );
  });
});
