import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeRunRecord } from "../../test/support/run-record";
import { parseSettings } from "../config/settings";
import { CHANGE_LOG_HEADING, DECISION_HEADING } from "../control/decisions-markdown";
import { runRecordSchema } from "../evidence/run-record";
import { createMasker } from "../notify/mask";
import { computeKpis } from "./kpis";
import { computeQualityGate } from "./quality-gate";
import {
  applyObserverReport,
  applyPhase3Report,
  KILL_SWITCH_LOG_HEADING,
  writeObserverSummary,
  writePhase3Summary,
} from "./report-files";
import { computeFindings, windowBounds, type ObserverReport } from "./report-model";

const CANARY = {
  GITHUB_TOKEN: "ghp_CanaryToken0123456789abcdefghijklmnop",
  SUPABASE_SERVICE_KEY: "canary-service-key-7f3e9a1c",
  SLACK_WEBHOOK_URL: "https://hooks.slack.test/services/T000/B000/canarysecretvalue",
};
const settings = parseSettings({ ...CANARY, SUPABASE_URL: "https://canary-project.supabase.test" });
const mask = createMasker(settings);

const run = (id: string, extra: Record<string, unknown> = {}) =>
  runRecordSchema.parse(makeRunRecord(id, extra));
const RUNS = [
  run("1"),
  run("2", {
    status: "failure",
    sha_parity: false,
    observer_notes: `upload failed with ${CANARY.SUPABASE_SERVICE_KEY}`,
    run_completed_at_utc: "2025-11-14T09:05:00Z",
  }),
  run("3", {
    trigger_mode: "retry",
    retry_origin: "2",
    retries: 1,
    run_completed_at_utc: "2025-11-14T10:00:00Z",
  }),
];

function makeReport(observerRunId: string, notes: string | null = null): ObserverReport {
  const asOf = new Date("2025-11-15T00:00:00Z");
  const kpis = computeKpis(RUNS, { asOf, windowDays: 7 });
  const bounds = windowBounds(asOf, 7);
  const gate = computeQualityGate({
    checklist: { open: [], unverifiedTicks: [] },
    killSwitch: { state: "armed", changedBy: null, changedAt: "2025-11-14T00:00:00.000Z", reason: null },
    kpis: {
      observerRunId,
      shaParityPassRate: kpis.sha_parity_pass_rate,
      successRate: kpis.success_rate,
      retriesExhaustedCount: 0,
      lateHealCount: 0,
    },
  });
  return {
    observerRunId,
    event: "ev",
    asOf: kpis.as_of,
    windowStart: "2025-11-08T00:00:00Z",
    windowDays: 7,
    runsInFile: RUNS.length,
    kpis,
    findings: computeFindings(RUNS, kpis, bounds),
    gate,
    upsert: null,
    notes,
  };
}

const at = (n: number) => ({ mask, at: new Date(Date.UTC(2025, 10, 15, 0, 0, n)) });
const withoutChangeLog = (text: string) =>
  text
    .split("\n")
    .filter((line) => !line.includes(" observer run `"))
    .join("\n");

describe("AUTO_OBSERVER_SUMMARY.md writer", () => {
  it("running twice with the same id and as-of changes nothing but the change log", () => {
    const once = applyObserverReport("# Auto observer summary\n", makeReport("obs-1"), at(1));
    const twice = applyObserverReport(once, makeReport("obs-1"), at(2));
    expect(twice).not.toBe(once);
    expect(withoutChangeLog(twice)).toBe(withoutChangeLog(once));
    expect(twice.match(/^- .* observer run `obs-1`/gm)).toHaveLength(2);
  });

  it("replaces a run's section in place and keeps the others in order", () => {
    let text = "# Auto observer summary\n";
    for (const id of ["obs-a", "obs-b", "obs-c"]) text = applyObserverReport(text, makeReport(id), at(1));
    const rerun = applyObserverReport(text, makeReport("obs-b", "second look"), at(2));
    const headings = rerun.split("\n").filter((l) => l.startsWith("### Observer Run"));
    expect(headings).toEqual([
      "### Observer Run `obs-a`",
      "### Observer Run `obs-b`",
      "### Observer Run `obs-c`",
    ]);
    const sectionB = rerun.split("### Observer Run `obs-b`")[1]?.split("### Observer Run")[0] ?? "";
    expect(sectionB).toContain("- Notes: second look");
    expect(rerun.split("- Notes: second look")).toHaveLength(2);
  });

  it("leaves the checklist section and the kill switch log as they are; the log stays last", () => {
    const start = [
      "# Auto observer summary",
      "",
      "## Handbook checklist",
      "",
      "| # | Step |",
      "|---|---|",
      "| 1 | hand-written row |",
      "",
      KILL_SWITCH_LOG_HEADING,
      "",
      "- 2025-11-14T10:00:00Z kill switch engaged by commander@example.test: drill",
      "",
    ].join("\n");
    const next = applyObserverReport(start, makeReport("obs-1"), at(1));
    expect(next.startsWith(start.split(KILL_SWITCH_LOG_HEADING)[0] ?? "")).toBe(true);
    expect(
      next
        .trimEnd()
        .endsWith(
          `${KILL_SWITCH_LOG_HEADING}\n\n- 2025-11-14T10:00:00Z kill switch engaged by commander@example.test: drill`,
        ),
    ).toBe(true);
    const order = ["## Handbook checklist", "## Observer runs", CHANGE_LOG_HEADING, KILL_SWITCH_LOG_HEADING];
    expect(order.map((h) => next.indexOf(`\n${h}\n`))).toEqual(
      [...order.map((h) => next.indexOf(`\n${h}\n`))].sort((a, b) => a - b),
    );
    expect(order.every((h) => next.includes(`\n${h}\n`))).toBe(true);
  });

  it("masks canary secrets in notes and run notes", () => {
    const notes = `see ${CANARY.SLACK_WEBHOOK_URL} token ${CANARY.GITHUB_TOKEN} key ${CANARY.SUPABASE_SERVICE_KEY} at https://canary-project.supabase.test/rest/v1`;
    const text = applyObserverReport("", makeReport("obs-1", notes), at(1));
    const phase3 = applyPhase3Report("", makeReport("obs-1", notes), at(1));
    for (const written of [text, phase3]) {
      for (const secret of [...Object.values(CANARY), "canary-project"])
        expect(written).not.toContain(secret);
    }
    expect(text).toContain("- Notes: see *** token *** key *** at SUPABASE_URL/rest/v1");
    expect(phase3).toContain("`2` (upload failed with ***)");
  });
});

describe("PHASE3_AUDIT_SUMMARY.md writer", () => {
  const manual = [
    "# Phase 3 audit summary",
    "",
    "## Manual backstop review",
    "",
    "Reviewed by hand by reviewer@example.test on 2025-11-14: ok.",
    "",
    "## Compliance checks",
    "",
    "- [x] retention policy",
    "",
    DECISION_HEADING,
    "",
    "**Current decision: GO** — decision #1",
    "",
    CHANGE_LOG_HEADING,
    "",
    "- 2025-11-14T12:00:00Z Go/No-Go decision #1: GO by reviewer@example.test",
    "",
  ].join("\n");

  it("regenerates KPIs and findings, keeps the manual sections and Go/No-Go, appends to the change log", () => {
    const once = applyPhase3Report(manual, makeReport("obs-1"), at(1));
    for (const kept of [
      "Reviewed by hand by reviewer@example.test on 2025-11-14: ok.",
      "- [x] retention policy",
      "**Current decision: GO** — decision #1",
      "- 2025-11-14T12:00:00Z Go/No-Go decision #1: GO by reviewer@example.test",
    ])
      expect(once).toContain(kept);
    const headings = once.split("\n").filter((l) => l.startsWith("## "));
    expect(headings).toEqual([
      "## KPIs",
      "## Automated findings",
      "## Manual backstop review",
      "## Compliance checks",
      DECISION_HEADING,
      CHANGE_LOG_HEADING,
    ]);
    expect(once).toContain("| total_runs | 3 |");
    expect(once).toContain("- SHA parity failures: 1 — `2`");
    expect(once).toContain("- Failures: 1 (1 healed, 0 not healed)");

    const twice = applyPhase3Report(once, makeReport("obs-1"), at(2));
    expect(withoutChangeLog(twice)).toBe(withoutChangeLog(once));
    expect(
      twice
        .split("\n")
        .filter((l) => l.startsWith("- "))
        .slice(-3),
    ).toEqual([
      "- 2025-11-14T12:00:00Z Go/No-Go decision #1: GO by reviewer@example.test",
      expect.stringContaining("2025-11-15T00:00:01.000Z observer run `obs-1`"),
      expect.stringContaining("2025-11-15T00:00:02.000Z observer run `obs-1`"),
    ]);
  });

  it("creates the manual sections with a placeholder once, then never touches them", () => {
    const first = applyPhase3Report("", makeReport("obs-1"), at(1));
    expect(first).toContain("## Manual backstop review\n\n_To be completed by the reviewer");
    const edited = first.replace(
      /_To be completed by the reviewer: what was reviewed[^\n]*/,
      "Done by hand.",
    );
    const next = applyPhase3Report(edited, makeReport("obs-2"), at(2));
    expect(next).toContain("## Manual backstop review\n\nDone by hand.\n");
  });
});

describe("the file writers", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "observer-report-files-"));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("start a missing file with its title and write atomically", async () => {
    const observer = path.join(dir, "AUTO_OBSERVER_SUMMARY.md");
    const phase3 = path.join(dir, "PHASE3_AUDIT_SUMMARY.md");
    expect(await writeObserverSummary(observer, makeReport("obs-1"), at(1))).toMatchObject({ changed: true });
    expect(await writePhase3Summary(phase3, makeReport("obs-1"), at(1))).toMatchObject({ changed: true });
    expect(await fs.readFile(observer, "utf8")).toMatch(
      /^# Auto observer summary\n\n## Observer runs\n\n### Observer Run `obs-1`\n/,
    );
    expect(await fs.readFile(phase3, "utf8")).toMatch(/^# Phase 3 audit summary\n\n## KPIs\n/);
    expect((await fs.readdir(dir)).sort()).toEqual(["AUTO_OBSERVER_SUMMARY.md", "PHASE3_AUDIT_SUMMARY.md"]);
  });
});
