import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSettings, settingsSchema, withOverrides } from "./settings";
import { getEventPaths } from "./paths";

describe("settings", () => {
  it("gives DESIGN's defaults for an empty environment", () => {
    const s = parseSettings({});
    expect(s).toMatchObject({
      AUDIT_EVENT: "2025-11-14",
      AUDIT_REPORTS_ROOT: "docs/reports",
      AUDIT_DATA_DIR: ".data",
      GITHUB_API_URL: "https://api.github.com",
      AUDIT_WORKFLOW: "phase4-auto-audit.yml",
      SUPABASE_METRICS_TABLE: "phase4_audit_metrics",
      RETRY_BACKOFF_SCALE: 1,
      PORT: 3000,
    });
    expect(s.DATABASE_URL).toBeUndefined();
  });

  it("treats empty strings as unset", () => {
    expect(parseSettings({ DATABASE_URL: "", GITHUB_TOKEN: "  " }).GITHUB_TOKEN).toBeUndefined();
  });

  it("names the variable and the expectation on a bad value", () => {
    expect(() => parseSettings({ PORT: "http" })).toThrow(/PORT: expected/);
    expect(() => parseSettings({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(() => parseSettings({ AUDIT_EVENT: "../etc" })).toThrow(/AUDIT_EVENT: expected a folder name/);
    expect(() => parseSettings({ RETRY_BACKOFF_SCALE: "-1" })).toThrow(/RETRY_BACKOFF_SCALE/);
  });

  it("lets flags override settings", () => {
    const s = withOverrides(parseSettings({}), { AUDIT_EVENT: "2026-01-02", AUDIT_WORKFLOW: undefined });
    expect(s.AUDIT_EVENT).toBe("2026-01-02");
    expect(s.AUDIT_WORKFLOW).toBe("phase4-auto-audit.yml");
  });

  it("lists every setting in .env.example", () => {
    const example = readFileSync(".env.example", "utf8");
    for (const name of Object.keys(settingsSchema.shape))
      expect(example).toMatch(new RegExp(`^${name}=`, "m"));
  });

  it("resolves the event folder's files under the reports root", () => {
    const p = getEventPaths(parseSettings({ AUDIT_EVENT: "e1" }), "/repo");
    expect(p.dir).toBe("/repo/docs/reports/e1");
    expect(p.manifest).toBe("/repo/docs/reports/e1/_manifest.json");
    expect(p.runsSummary).toBe("/repo/docs/reports/e1/RUNS_SUMMARY.json");
  });
});
