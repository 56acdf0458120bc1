import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeRunRecord } from "../../../test/support/run-record";
import { openTestDatabase } from "../../../test/support/test-database";
import { getKillSwitchStatus } from "../../control/kill-switch";
import type { Database } from "../../db";
import { exitCodeOf } from "../../errors";
import type { Command, CommandContext } from "../command";
import { manifestAtomicCommand } from "./manifest-atomic";
import { observerReportCommand } from "./observer-report";
import { runsImportCommand } from "./runs-import";

/**
 * The automatic trips of DESIGN §7 that the evidence readers fire (auto-trip-checks.ts): each
 * from its condition, and from nothing else.
 */
let root: string;
let db: Database;
const eventDir = () => path.join(root, "docs/reports/ev");

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "auto-trips-"));
  await fs.mkdir(eventDir(), { recursive: true });
  db = await openTestDatabase();
});
afterEach(async () => {
  await db.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function run(command: Command, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    argv,
    env: { AUDITLOOP_ROOT: root, AUDIT_EVENT: "ev", RETRY_BACKOFF_SCALE: "0" },
    stdout: { write: (chunk: string) => out.push(chunk) },
    stderr: { write: (chunk: string) => err.push(chunk) },
    signal: new AbortController().signal,
    database: async () => db,
  };
  try {
    return { code: await command.run(ctx), stdout: out.join(""), stderr: err.join(""), error: "" };
  } catch (error) {
    // As runCli reports it: the message on stderr, the error's exit code.
    return {
      code: exitCodeOf(error),
      stdout: out.join(""),
      stderr: err.join(""),
      error: (error as Error).message,
    };
  }
}

const report = () =>
  run(observerReportCommand, ["--observer-run-id", "obs-1", "--as-of", "2025-11-15T00:00:00Z"]);
const state = async () => (await getKillSwitchStatus(db)).state;
const writeRuns = (rows: unknown[]) =>
  fs.writeFile(path.join(eventDir(), "RUNS_SUMMARY.json"), `${JSON.stringify(rows, null, 2)}\n`);
const VALID_MANIFEST = JSON.stringify({ generated_at_utc: "2025-11-14T00:00:00Z", entries: [] });

describe("manifest_unparseable", () => {
  it("the observer report trips on a manifest that does not parse, rolls it back and exits 3", async () => {
    const manifest = path.join(eventDir(), "_manifest.json");
    const entry = [
      "--artifact-path",
      "docs/reports/ev/a.zip",
      "--evidence-type",
      "artifact",
      "--recorded-at",
      "2025-11-14T09:00:00Z",
    ];
    expect((await run(manifestAtomicCommand, ["--run-id", "1", ...entry])).code).toBe(0);
    expect((await run(manifestAtomicCommand, ["--run-id", "2", ...entry])).code).toBe(0);
    const good = await fs.readFile(manifest, "utf8");
    await fs.writeFile(manifest, good.slice(0, -20)); // a write cut short

    const result = await report();
    expect(result.code).toBe(3);
    expect(result.error).toMatch(
      /the manifest fails to parse \(_manifest\.json: not valid JSON at line \d+, column \d+\)/,
    );
    expect(await state()).toBe("engaged");
    // Rolled back to the last backup: the version before the second update.
    expect(
      JSON.parse(await fs.readFile(manifest, "utf8")).entries.map((e: { run_id: string }) => e.run_id),
    ).toEqual(["1"]);
    await expect(fs.stat(path.join(eventDir(), "PHASE3_AUDIT_SUMMARY.md"))).rejects.toThrow(/ENOENT/);
  });

  it("manifest-atomic --check trips on a duplicate key in the event's manifest", async () => {
    await fs.writeFile(
      path.join(eventDir(), "_manifest.json"),
      '{"generated_at_utc": "x", "entries": [], "entries": []}',
    );
    const result = await run(manifestAtomicCommand, ["--check"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^kill_switch=engaged automatically \(manifest_unparseable\): .*a duplicate key at line 1/,
    );
    expect(await state()).toBe("engaged");
  });

  it("trips on nothing else: a valid manifest, a missing one, one that parses but breaks the schema", async () => {
    await writeRuns([makeRunRecord("1")]);
    expect((await report()).code).toBe(0);
    await fs.writeFile(path.join(eventDir(), "_manifest.json"), VALID_MANIFEST);
    expect((await report()).code).toBe(0);
    await fs.writeFile(path.join(eventDir(), "_manifest.json"), '{"entries": [{"run_id": 1}]}');
    expect((await report()).code).toBe(0);
    expect((await run(manifestAtomicCommand, ["--check"])).code).toBe(1);
    expect(await state()).toBe("armed");
  });
});

describe("run_status_conflict", () => {
  it("the observer report trips on a run_id recorded as both success and failure, and writes nothing", async () => {
    await writeRuns([makeRunRecord("1"), makeRunRecord("2"), makeRunRecord("1", { status: "failure" })]);
    const result = await report();
    expect(result.code).toBe(3);
    expect(result.error).toContain(
      "one run recorded as both success and failure (RUNS_SUMMARY.json: run_id 1 ([0] success, [2] failure))",
    );
    expect(await state()).toBe("engaged");
    expect((await fs.readdir(eventDir())).sort()).toEqual(["AUTO_OBSERVER_SUMMARY.md", "RUNS_SUMMARY.json"]);
    expect(await fs.readFile(path.join(eventDir(), "AUTO_OBSERVER_SUMMARY.md"), "utf8")).toMatch(
      /## Kill switch log\n\n- \S+ kill switch engaged by system:auto-trip: automatic trip \(run_status_conflict\)/,
    );
  });

  it("runs-import trips when a recorded success would become a failure, and writes nothing", async () => {
    await writeRuns([makeRunRecord("1")]);
    const before = await fs.readFile(path.join(eventDir(), "RUNS_SUMMARY.json"));
    await fs.writeFile(
      path.join(root, "in.json"),
      JSON.stringify([makeRunRecord("1", { status: "failure" })]),
    );
    const result = await run(runsImportCommand, [path.join(root, "in.json")]);
    expect(result.code).toBe(3);
    expect(result.error).toContain("run_id 1 (recorded success, incoming failure)");
    expect(await state()).toBe("engaged");
    expect(await fs.readFile(path.join(eventDir(), "RUNS_SUMMARY.json"))).toEqual(before);
  });

  it("trips on nothing else: a duplicate with the same status, a retry that healed, a re-run that succeeded", async () => {
    await writeRuns([makeRunRecord("1"), makeRunRecord("1")]);
    const duplicate = await report();
    expect(duplicate.code).toBe(1);
    expect(duplicate.error).toContain("run_id: expected each run_id once (also at [0])");

    await writeRuns([
      makeRunRecord("10", { status: "failure", run_completed_at_utc: "2025-11-14T09:04:00Z" }),
      makeRunRecord("11", {
        trigger_mode: "retry",
        retry_origin: "10",
        retries: 1,
        run_started_at_utc: "2025-11-14T10:00:00Z",
        run_completed_at_utc: "2025-11-14T10:05:00Z",
      }),
    ]);
    expect((await report()).code).toBe(0);
    await fs.writeFile(path.join(root, "in.json"), JSON.stringify([makeRunRecord("10")]));
    expect((await run(runsImportCommand, [path.join(root, "in.json")])).code).toBe(0);
    expect(await state()).toBe("armed");
  });
});
