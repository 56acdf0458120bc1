import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/support/test-database";
import { setKillSwitchState } from "../../control/kill-switch";
import { verifyStep } from "../../control/checklist-verify";
import type { Database } from "../../db";
import { exitCodeOf } from "../../errors";
import type { CommandContext } from "../command";
import { retryGuardCommand } from "./retry-guard";

let db: Database;
let root: string;
const repo = path.resolve(__dirname, "../../..");

beforeEach(async () => {
  db = await openTestDatabase();
  root = await fs.mkdtemp(path.join(os.tmpdir(), "retry-guard-"));
  await fs.mkdir(path.join(root, "docs"));
  await fs.copyFile(path.join(repo, "docs/retry-policy.md"), path.join(root, "docs/retry-policy.md"));
});
afterEach(async () => {
  await db.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    argv,
    env: { AUDITLOOP_ROOT: root },
    stdout: { write: (chunk: string) => out.push(chunk) },
    stderr: { write: (chunk: string) => err.push(chunk) },
    signal: new AbortController().signal,
    database: async () => db,
  };
  const code = await retryGuardCommand.run(ctx).catch((error: unknown) => {
    err.push(String(error));
    return exitCodeOf(error);
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

const files = { runsSummary: "r", manifest: "m", observerSummary: "o", phase3Summary: "p" };

describe("retry-guard command", () => {
  it("is green against the committed policy, and checklist step 2 verifies from its record", async () => {
    expect((await verifyStep(2, { db, event: "ev", files })).status).toBe("unverified");
    expect(await run([])).toEqual({
      code: 0,
      stdout: "retry_guard=green rows=7 policy=docs/retry-policy.md\n",
      stderr: "",
    });
    expect(await verifyStep(2, { db, event: "ev", files })).toMatchObject({ status: "verified" });
  });

  it("exits 1 naming each difference, and step 2 stops verifying", async () => {
    await run([]);
    const file = path.join(root, "docs/retry-policy.md");
    const text = await fs.readFile(file, "utf8");
    await fs.writeFile(
      file,
      text.replace("| 5 s, 15 s, 45 s |\n| connection", "| 5 s, 10 s, 20 s |\n| connection"),
    );
    const { code, stdout, stderr } = await run(["--json"]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, findings: [{ response: "500–504, other 5xx" }] });
    expect(stderr).toContain('"500–504, other 5xx" says retry 3 time(s) after 5, 10, 20 s');
    expect(await verifyStep(2, { db, event: "ev", files })).toMatchObject({ status: "unverified" });
  });

  it("runs while the kill switch is engaged, and names a missing policy file", async () => {
    const commander = { id: "c", email: "c@example.test", role: "commander" as const, via: "cli" as const };
    await setKillSwitchState(db, commander, "engaged", "drill");
    expect((await run([])).code).toBe(0);
    const missing = await run(["--policy", "docs/nope.md"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("docs/nope.md: cannot read the retry policy");
  });
});
