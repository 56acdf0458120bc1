import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeRunRecord } from "../../test/support/run-record";
import { RunStatusConflictError } from "../evidence/run-status-conflict";
import { readRunsSummary } from "../evidence/runs-summary";
import { computeKpis } from "./kpis";
import { readRunsForReport } from "./report-read";

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "report-read-"));
  file = path.join(dir, "RUNS_SUMMARY.json");
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const options = { asOf: new Date("2025-11-15T00:00:00Z"), windowDays: 7 };

describe("readRunsForReport", () => {
  it("computes the KPIs with the read, equal to those of the validated runs", async () => {
    const reordered = Object.fromEntries(Object.entries(makeRunRecord("2", { status: "failure" })).reverse());
    await fs.writeFile(file, JSON.stringify([makeRunRecord("1"), { ...reordered, unknown_field: 1 }]));
    const read = await readRunsForReport(file, { kpis: options });
    if ("error" in read) throw read.error;
    expect(read.kpis).toEqual(computeKpis(await readRunsSummary(file), options));
    expect(read.kpis).toMatchObject({ total_runs: 2, failure_count: 1 });
  });

  it("keeps the error instead of throwing: bad rows, and a run both success and failure", async () => {
    await fs.writeFile(file, JSON.stringify([{ run_id: 1 }]));
    const bad = await readRunsForReport(file, { kpis: options });
    expect("error" in bad && String(bad.error)).toMatch(/run_id: expected a string/);
    await fs.writeFile(file, JSON.stringify([makeRunRecord("1"), makeRunRecord("1", { status: "failure" })]));
    const conflict = await readRunsForReport(file);
    expect("error" in conflict && conflict.error).toBeInstanceOf(RunStatusConflictError);
  });
});
