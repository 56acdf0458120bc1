import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

describe("the path to return to after sign-in", () => {
  it("keeps a path on this dashboard with its query", () => {
    expect(safeNextPath("/runs?status=failure&parity=false")).toBe("/runs?status=failure&parity=false");
    expect(safeNextPath("/runs/1001")).toBe("/runs/1001");
  });

  it("refuses anything that could leave the dashboard, falling back to the overview", () => {
    for (const next of [
      "https://evil.example/",
      "//evil.example/x",
      "/\\evil.example",
      "\\\\evil.example",
      "javascript:alert(1)",
      "runs",
      "/\t/evil.example",
      "",
      undefined,
      ["/runs"],
    ]) {
      expect(safeNextPath(next), String(next)).toBe("/");
    }
  });

  it("never returns to the sign-in form itself", () => {
    expect(safeNextPath("/login?next=/runs")).toBe("/");
  });
});
