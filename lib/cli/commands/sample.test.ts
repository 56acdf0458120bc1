import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../errors";
import { readRunsSummary } from "../../evidence/runs-summary";
import type { CommandContext } from "../command";
import { sampleCommand } from "./sample";

let root: string;

async function run(argv: string[]) {
  const out: string[] = [];
  const ctx: CommandContext = {
    argv,
    env: { AUDITLOOP_ROOT: root, AUDIT_EVENT: "2025-11-14" },
    stdout: { write: (chunk: string) => out.push(chunk) },
    stderr: { write: () => true },
    signal: new AbortController().signal,
    database: () => Promise.reject(new Error("this command needs no database")),
  };
  const code = await sampleCommand.run(ctx);
  return { code, stdout: out.join("") };
}

const summaryOf = (event: string) => path.join(root, "docs/reports", event, "RUNS_SUMMARY.json");

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "sample-cli-"));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("sample command", () => {
  it("writes 200 runs into the event folder in under 2 s and says where", async () => {
    const started = performance.now();
    const { code, stdout } = await run([]);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^sample: wrote 200 runs \(.*\) and 400 evidence files to docs\/reports\/2025-11-14 in \d+ ms\n$/,
    );
    expect(await readRunsSummary(summaryOf("2025-11-14"))).toHaveLength(200);
  });

  it("--if-missing leaves an existing RUNS_SUMMARY.json alone", async () => {
    await run(["--event", "e1", "--runs", "12"]);
    const before = await fs.readFile(summaryOf("e1"), "utf8");
    const { code, stdout } = await run(["--event", "e1", "--if-missing", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ ok: true, action: "kept", dir: "docs/reports/e1" });
    expect(await fs.readFile(summaryOf("e1"), "utf8")).toBe(before);
  });

  it("refuses to overwrite without --force, and overwrites with it", async () => {
    await run(["--event", "e2", "--runs", "12"]);
    await expect(run(["--event", "e2"])).rejects.toThrow(/RUNS_SUMMARY\.json exists; pass --force/);
    const { code, stdout } = await run(["--event", "e2", "--force", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, action: "overwritten", runs: 200 });
    expect(await readRunsSummary(summaryOf("e2"))).toHaveLength(200);
  });

  it("names a bad --runs or --event", async () => {
    await expect(run(["--runs", "0"])).rejects.toThrow(InputError);
    await expect(run(["--runs", "1.5"])).rejects.toThrow(/--runs: expected an integer from 1 to 100000/);
    await expect(run(["--event", "a/b"])).rejects.toThrow(/--event: expected a folder name/);
  });
});
