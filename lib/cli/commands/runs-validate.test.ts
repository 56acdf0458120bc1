import { spawnSync } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { makeRunRecord } from "../../../test/support/run-record";

let root: string;
const work = inject("cliRoot");
const summary = () => path.join(root, "docs/reports/ev/RUNS_SUMMARY.json");

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "runs-validate-"));
  await fs.mkdir(path.dirname(summary()), { recursive: true });
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function validate(...args: string[]) {
  return spawnSync("bash", [path.join(work, "scripts/phase4-runs-validate.sh"), "--event", "ev", ...args], {
    cwd: root,
    env: { ...process.env, AUDITLOOP_ROOT: root },
    encoding: "utf8",
  });
}

describe("scripts/phase4-runs-validate.sh", () => {
  it("exits 0 with the run count for a valid summary", async () => {
    await fs.writeFile(summary(), JSON.stringify([makeRunRecord("1"), makeRunRecord("2")]));
    const ok = validate("--json");
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      ok: true,
      runs_summary: "docs/reports/ev/RUNS_SUMMARY.json",
      runs: 2,
    });
  });

  it("exits 1 naming the run and field of a bad record, and a repeated run_id", async () => {
    await fs.writeFile(summary(), JSON.stringify([makeRunRecord("1", { retries: -1 }), makeRunRecord("1")]));
    const bad = validate();
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/RUNS_SUMMARY\.json: invalid runs summary: \[0\] \(run_id 1\) retries/);
    await fs.writeFile(summary(), JSON.stringify([makeRunRecord("1"), makeRunRecord("1")]));
    expect(validate().stderr).toContain("run_id: expected each run_id once (also at [0])");
  });

  it("exits 1 when there is no summary at all, naming where it looked", () => {
    const missing = validate();
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("docs/reports/ev/RUNS_SUMMARY.json: no runs summary here");
  });
});
