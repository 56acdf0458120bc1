import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../errors";
import type { RunRecord } from "./run-record";
import { importRuns, parseRunsFile, RunsImportInvalidError } from "./runs-import";
import { readRunsSummary, writeRunsSummary } from "./runs-summary";
import { makeRunRecord } from "../../test/support/run-record";

const SHA = "b".repeat(64);

const record = (runId: string, extra: Record<string, unknown> = {}) =>
  makeRunRecord(runId, {
    run_completed_at_utc: "2025-11-14T09:05:00Z",
    duration_sec: 300,
    prov_sha: SHA,
    computed_sha: SHA,
    ...extra,
  });

const HEADER =
  "run_id,trigger_mode,status,sha_parity,retries,retry_origin,run_started_at_utc,run_completed_at_utc,duration_sec,prov_sha,computed_sha,observer_run_id,observer_notes,retry_exhausted,supabase_response_code";
const csvRow = (runId: string, over: Partial<Record<string, string>> = {}) => {
  const cells: Record<string, string> = {
    run_id: runId,
    trigger_mode: "manual_dispatch",
    status: "failure",
    sha_parity: "FALSE",
    retries: "2",
    retry_origin: "",
    run_started_at_utc: "2025-11-14T10:00:00Z",
    run_completed_at_utc: "2025-11-14T10:01:30Z",
    duration_sec: "90.5",
    prov_sha: "",
    computed_sha: SHA,
    observer_run_id: "obs-2",
    observer_notes: '"digest differs, rebuilt"',
    retry_exhausted: "",
    supabase_response_code: "null",
    ...over,
  };
  return HEADER.split(",")
    .map((c) => cells[c])
    .join(",");
};

let dir: string;
let summary: string;

async function writeInput(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, text);
  return file;
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "runs-import-"));
  summary = path.join(dir, "event", "RUNS_SUMMARY.json");
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe("parseRunsFile", () => {
  it("reads CSV cells as the schema's types", () => {
    const text = `${HEADER}\n${csvRow("c1")}\n${csvRow("c2", { retry_origin: "c1", sha_parity: "true", observer_notes: "", retry_exhausted: "true", supabase_response_code: "201" })}\n`;
    const { format, runs, invalid } = parseRunsFile(text, "in.csv", { source: "manual" });
    expect(invalid).toEqual([]);
    expect(format).toBe("csv");
    expect(runs[0]).toMatchObject({
      sha_parity: false,
      retries: 2,
      retry_origin: null,
      duration_sec: 90.5,
      prov_sha: "",
      supabase_response_code: null,
      source: "manual",
      observer_notes: "digest differs, rebuilt",
    });
    expect(runs[0]).not.toHaveProperty("retry_exhausted");
    expect(runs[1]).toMatchObject({
      sha_parity: true,
      retry_origin: "c1",
      retry_exhausted: true,
      supabase_response_code: 201,
    });
  });

  it("tells JSON from CSV by content, not by name", () => {
    const parsed = parseRunsFile(`  ${JSON.stringify([record("j1")])}`, "results.csv");
    expect(parsed.format).toBe("json");
    expect(parsed.runs.map((r) => r.run_id)).toEqual(["j1"]);
  });

  it("reports every bad row with its row, line, field and expectation", () => {
    const text = [
      HEADER,
      csvRow("ok"),
      csvRow("b1", { retries: "two" }),
      csvRow("b2", { status: "done", duration_sec: "0" }),
      csvRow("b3").split(",").slice(0, 5).join(","),
    ].join("\n");
    const { runs, invalid } = parseRunsFile(text, "in.csv");
    expect(runs.map((r) => r.run_id)).toEqual(["ok"]);
    expect(invalid).toEqual(
      expect.arrayContaining([
        { row: 2, line: 3, run_id: "b1", field: "retries", expected: "an integer" },
        { row: 3, line: 4, run_id: "b2", field: "status", expected: "one of success, failure, cancelled" },
        { row: 3, line: 4, run_id: "b2", field: "duration_sec", expected: "a number > 0" },
        expect.objectContaining({ row: 4, line: 5, field: "(row)" }),
      ]),
    );
  });

  it("counts lines of quoted cells that span lines", () => {
    const text = `${HEADER}\n${csvRow("m1", { observer_notes: '"two\nlines"' })}\n${csvRow("m2", { retries: "-1" })}\n`;
    expect(parseRunsFile(text, "in.csv").invalid).toEqual([
      { row: 2, line: 4, run_id: "m2", field: "retries", expected: "an integer ≥ 0" },
    ]);
  });

  it("refuses a completion before the start, parity false without a reason, and a bad timestamp", () => {
    const rows = [
      record("t1", { run_completed_at_utc: "2025-11-14T08:59:59Z" }),
      record("t2", { sha_parity: false, observer_notes: "  " }),
      record("t3", { run_started_at_utc: "2025-11-14 09:00" }),
      record("t4", { run_started_at_utc: "2025-02-30T09:00:00Z" }),
    ];
    const { invalid } = parseRunsFile(JSON.stringify(rows), "in.json");
    expect(invalid).toEqual([
      {
        row: 1,
        run_id: "t1",
        field: "run_completed_at_utc",
        expected: "a time at or after run_started_at_utc",
      },
      { row: 2, run_id: "t2", field: "observer_notes", expected: "a reason when sha_parity is false" },
      {
        row: 3,
        run_id: "t3",
        field: "run_started_at_utc",
        expected: "an ISO 8601 UTC timestamp like 2025-11-14T09:30:00Z",
      },
      { row: 4, run_id: "t4", field: "run_started_at_utc", expected: "a real calendar date and time" },
    ]);
  });

  it("refuses unknown fields, missing fields, repeated run_ids and non-objects", () => {
    const rows = [record("u1", { retries_count: 1 }), { run_id: "u2" }, record("u1"), 42];
    const { invalid } = parseRunsFile(JSON.stringify(rows), "in.json");
    expect(invalid).toContainEqual(
      expect.objectContaining({
        row: 1,
        field: "retries_count",
        expected: expect.stringMatching(/^no such field/),
      }),
    );
    expect(invalid).toContainEqual({
      row: 2,
      run_id: "u2",
      field: "status",
      expected: "one of success, failure, cancelled",
    });
    expect(invalid).toContainEqual({
      row: 2,
      run_id: "u2",
      field: "sha_parity",
      expected: "a boolean (the field is missing)",
    });
    expect(invalid).toContainEqual({
      row: 3,
      run_id: "u1",
      field: "run_id",
      expected: "a run_id not already on row 1",
    });
    expect(invalid).toContainEqual({ row: 4, field: "(record)", expected: "an object" });
  });

  it("refuses a CSV header with unknown or missing columns", () => {
    expect(() => parseRunsFile("run_id,statuz\nx,success\n", "in.csv")).toThrow(
      /in\.csv: CSV header \(line 1\): unknown columns statuz; missing columns trigger_mode/,
    );
    expect(() => parseRunsFile("", "in.csv")).toThrow(InputError);
  });
});

describe("importRuns", () => {
  it("merges JSON runs by run_id and counts added and replaced", async () => {
    await writeRunsSummary(summary, [
      record("old", {
        run_started_at_utc: "2025-11-13T09:00:00Z",
        run_completed_at_utc: "2025-11-13T09:05:00Z",
      }) as RunRecord,
      // Cancelled, not success: a recorded success never becomes a failure (run-status-conflict.ts).
      record("r1", { status: "cancelled" }) as RunRecord,
    ]);
    const input = await writeInput(
      "in.json",
      JSON.stringify([record("r1", { status: "failure", observer_notes: "x" }), record("r2")]),
    );
    const result = await importRuns(input, summary, { source: "manual" });
    expect(result).toMatchObject({ imported: 2, added: 1, replaced: 1, skipped: 0, invalid: [] });
    const runs = await readRunsSummary(summary);
    expect(runs.map((r) => [r.run_id, r.status, r.source])).toEqual([
      ["old", "success", undefined],
      ["r1", "failure", "manual"],
      ["r2", "success", "manual"],
    ]);
  });

  it("writes nothing when one row is bad, and names the row and the field", async () => {
    const input = await writeInput(
      "in.csv",
      `${HEADER}\n${csvRow("a")}\n${csvRow("b", { sha_parity: "maybe" })}\n${csvRow("c")}\n`,
    );
    const error = await importRuns(input, summary).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunsImportInvalidError);
    expect((error as Error).message).toContain(
      `${input}: row 2 (line 3, run_id b): field sha_parity: expected true or false`,
    );
    expect((error as RunsImportInvalidError).invalid).toEqual([
      { row: 2, line: 3, run_id: "b", field: "sha_parity", expected: "true or false" },
    ]);
    await expect(fs.stat(summary)).rejects.toThrow(/ENOENT/);
  });

  it("with skipInvalid writes the valid rows and lists the rest", async () => {
    const input = await writeInput(
      "in.json",
      JSON.stringify([record("a"), record("b", { duration_sec: -3 }), record("c")]),
    );
    const result = await importRuns(input, summary, { skipInvalid: true });
    expect(result).toMatchObject({
      imported: 2,
      added: 2,
      skipped: 1,
      invalid: [{ row: 2, run_id: "b", field: "duration_sec", expected: "a number > 0" }],
    });
    expect((await readRunsSummary(summary)).map((r) => r.run_id)).toEqual(["a", "c"]);
  });

  it("writes nothing when the beforeWrite check refuses (the kill switch seam)", async () => {
    const input = await writeInput("in.json", JSON.stringify([record("a")]));
    const refuse = () => {
      throw new InputError("refused");
    };
    await expect(importRuns(input, summary, { beforeWrite: refuse })).rejects.toThrow("refused");
    await expect(fs.stat(summary)).rejects.toThrow(/ENOENT/);
  });

  it("names a missing input file", async () => {
    await expect(importRuns(path.join(dir, "nope.json"), summary)).rejects.toThrow(
      /nope\.json: cannot read the runs file/,
    );
  });
});
