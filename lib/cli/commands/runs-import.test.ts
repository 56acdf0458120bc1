import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { readRunsSummary } from "../../evidence/runs-summary";
import type { CommandContext } from "../command";
import type { Database } from "../../db";
import { openTestDatabase } from "../../../test/support/test-database";
import { runsImportCommand } from "./runs-import";
import { makeRunRecord } from "../../../test/support/run-record";

const SHA = "c".repeat(64);

const record = (runId: string, extra: Record<string, unknown> = {}) =>
  makeRunRecord(runId, { prov_sha: SHA, computed_sha: SHA, ...extra });

// One database per file, opened on first use: the commands check the kill switch and audit in it.
let database: Promise<Database> | null = null;
const testDatabase = () => (database ??= openTestDatabase());
afterAll(async () => {
  await (await database)?.close();
});

let root: string;

async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    argv,
    env: { AUDITLOOP_ROOT: root, ...env },
    stdout: { write: (chunk: string) => out.push(chunk) },
    stderr: { write: (chunk: string) => err.push(chunk) },
    signal: new AbortController().signal,
    database: testDatabase,
  };
  const code = await runsImportCommand.run(ctx);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "runs-import-cli-"));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("runs-import command", () => {
  it("imports into the event folder's RUNS_SUMMARY.json and prints one line", async () => {
    const input = path.join(root, "phase3.json");
    await fs.writeFile(input, JSON.stringify([record("1"), record("2")]));
    const result = await run([input, "--source", "manual", "--event", "demo"]);
    expect(result).toEqual({
      code: 0,
      stdout: "runs_summary=docs/reports/demo/RUNS_SUMMARY.json imported=2 added=2 replaced=0 skipped=0\n",
      stderr: "",
    });
    const runs = await readRunsSummary(path.join(root, "docs/reports/demo/RUNS_SUMMARY.json"));
    expect(runs.map((r) => r.source)).toEqual(["manual", "manual"]);
  });

  it("exits 1 listing every bad row on stderr, and writes nothing", async () => {
    const input = path.join(root, "phase3.json");
    await fs.writeFile(
      input,
      JSON.stringify([record("1", { retries: -1 }), record("2"), record("3", { status: "ok" })]),
    );
    const target = path.join(root, "out.json");
    const result = await run([input, "--runs-summary", target, "--json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("row 1 (run_id 1): field retries: expected an integer ≥ 0");
    expect(result.stderr).toContain(
      "row 3 (run_id 3): field status: expected one of success, failure, cancelled",
    );
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      exit_code: 1,
      invalid: [{ row: 1 }, { row: 3 }],
    });
    await expect(fs.stat(target)).rejects.toThrow(/ENOENT/);
  });

  it("with --skip-invalid imports the valid rows and lists the skipped ones", async () => {
    const input = path.join(root, "phase3.json");
    await fs.writeFile(input, JSON.stringify([record("1", { sha_parity: false }), record("2")]));
    const result = await run([input, "--skip-invalid", "--runs-summary", path.join(root, "out.json")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/imported=1 added=1 replaced=0 skipped=1\n$/);
    expect(result.stderr).toMatch(
      /^skipped: .*row 1 \(run_id 1\): field observer_notes: expected a reason when sha_parity is false\n$/,
    );
  });

  it("names the flag on bad usage", async () => {
    await expect(run([])).rejects.toThrow(/FILE is required/);
    await expect(run(["x.json", "--source", "phase3"])).rejects.toThrow(/--source: expected manual or auto/);
    await expect(run(["x.json", "--event", "../up"])).rejects.toThrow(/--event: expected a folder name/);
  });
});

describe("scripts/phase4-runs-import.sh (bundled CLI as a process)", () => {
  const work = inject("cliRoot");

  it("merges a CSV file and exits 0, then exits 1 on a bad row", async () => {
    const header = Object.keys(record("x")).join(",");
    const row = (id: string, status = "success") =>
      Object.values(record(id, { status }))
        .map((v) => (v === null ? "" : String(v)))
        .join(",");
    await fs.writeFile(path.join(root, "phase3.csv"), `${header}\n${row("10")}\n${row("11")}\n`);
    const env = { ...process.env, AUDITLOOP_ROOT: root, AUDIT_EVENT: "2025-11-14" };
    const script = path.join(work, "scripts/phase4-runs-import.sh");
    const ok = spawnSync("bash", [script, "phase3.csv", "--source", "manual"], {
      cwd: root,
      env,
      encoding: "utf8",
    });
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toBe(
      "runs_summary=docs/reports/2025-11-14/RUNS_SUMMARY.json imported=2 added=2 replaced=0 skipped=0\n",
    );
    expect(ok.status).toBe(0);

    await fs.writeFile(path.join(root, "bad.csv"), `${header}\n${row("10", "done")}\n`);
    const bad = spawnSync("bash", [script, "bad.csv"], { cwd: root, env, encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      "bad.csv: row 1 (line 2, run_id 10): field status: expected one of success, failure, cancelled",
    );
    const runs = await readRunsSummary(path.join(root, "docs/reports/2025-11-14/RUNS_SUMMARY.json"));
    expect(runs.map((r) => [r.run_id, r.status])).toEqual([
      ["10", "success"],
      ["11", "success"],
    ]);
  });
});
