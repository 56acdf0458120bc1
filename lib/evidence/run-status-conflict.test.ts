import { describe, expect, it } from "vitest";
import { makeRunRecord } from "../../test/support/run-record";
import { runRecordSchema } from "./run-record";
import { findStatusConflicts, findStatusFlips } from "./run-status-conflict";

const run = (id: string, extra: Record<string, unknown> = {}) =>
  runRecordSchema.parse(makeRunRecord(id, extra));

describe("findStatusConflicts (rows of RUNS_SUMMARY.json)", () => {
  it("names a run_id recorded as both success and failure, with where each was seen", () => {
    const rows = [makeRunRecord("1"), makeRunRecord("2"), makeRunRecord("1", { status: "failure" })];
    expect(findStatusConflicts(rows)).toEqual([{ run_id: "1", seen: ["[0] success", "[2] failure"] }]);
  });

  it("finds none for a duplicate with the same status, cancelled beside success, or a healing retry", () => {
    expect(findStatusConflicts([makeRunRecord("1"), makeRunRecord("1")])).toEqual([]);
    expect(findStatusConflicts([makeRunRecord("1"), makeRunRecord("1", { status: "cancelled" })])).toEqual(
      [],
    );
    const heal = [
      makeRunRecord("10", { status: "failure" }),
      makeRunRecord("11", { trigger_mode: "retry", retry_origin: "10", retries: 1 }),
    ];
    expect(findStatusConflicts(heal)).toEqual([]);
    expect(findStatusConflicts({ not: "an array" })).toEqual([]);
  });
});

describe("findStatusFlips (an import or merge)", () => {
  it("refuses a recorded success becoming a failure, not a failure becoming a success", () => {
    const existing = [run("1"), run("2", { status: "failure" }), run("3", { status: "cancelled" })];
    const incoming = [
      run("1", { status: "failure" }),
      run("2"),
      run("3", { status: "failure" }),
      run("4", { status: "failure" }),
    ];
    expect(findStatusFlips(existing, incoming)).toEqual([
      { run_id: "1", seen: ["recorded success", "incoming failure"] },
    ]);
  });
});
