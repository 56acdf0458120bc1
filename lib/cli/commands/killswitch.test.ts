import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../../test/support/test-database";
import type { Database } from "../../db";
import { updateManifestEntry } from "../../evidence/manifest";
import { exitCodeOf } from "../../errors";
import type { CommandContext } from "../command";
import { killswitchCommand } from "./killswitch";

// One database for the file: the tests run in order through one engage → release cycle.
let db: Database;
let root: string;
const manifest = () => path.join(root, "docs/reports/ev/_manifest.json");

beforeAll(async () => {
  db = await openTestDatabase();
  root = await fs.mkdtemp(path.join(os.tmpdir(), "killswitch-cli-"));
  await updateManifestEntry(manifest(), {
    run_id: "1",
    artifact_path: "docs/reports/ev/artifacts/1/raw/a.zip",
    evidence_type: "artifact",
    recorded_at_utc: "2025-11-14T10:00:00Z",
    sha_parity: true,
    notes: "",
  });
});
afterAll(async () => {
  await db.close();
  await fs.rm(root, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    argv,
    env: { AUDITLOOP_ROOT: root, AUDIT_EVENT: "ev", GITHUB_ACTOR: "octo", ...env },
    stdout: { write: (chunk: string) => out.push(chunk) },
    stderr: { write: (chunk: string) => err.push(chunk) },
    signal: new AbortController().signal,
    database: async () => db,
  };
  const code = await killswitchCommand.run(ctx).catch((error: unknown) => {
    err.push(String(error));
    return exitCodeOf(error);
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("killswitch command", () => {
  it("shows the armed state read-only", async () => {
    const { code, stdout } = await run(["status", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, state: "armed", changed_by: null, reason: null });
  });

  it("refuses bad usage, naming the flag or verb", async () => {
    expect(await run([])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/expected 'engage', 'release' or 'status'/),
    });
    expect(await run(["engage"])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/--reason is required/),
    });
    expect(await run(["release", "--reason", "x"])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/--reason is taken only by 'engage'/),
    });
    expect(await run(["engage", "--reason", "no"])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/reason: expected a reason of at least 3/),
    });
    expect(await run(["status", "now"])).toMatchObject({ code: 1 });
  });

  it("engages as the CLI's service actor and prints each step", async () => {
    const { code, stdout } = await run(["engage", "--reason", "manifest drift on run 1"]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'kill_switch=engaged by=cli:github:octo reason="manifest drift on run 1"',
        '  step=persist status=done detail="0 in-flight task(s) aborted"',
        '  step=github-workflow status=skipped detail="not asked"',
        '  step=observer-summary status=done detail="appended to docs/reports/ev/AUTO_OBSERVER_SUMMARY.md"',
        '  step=manifest-rollback status=skipped detail="not asked"',
        '  step=slack status=skipped detail="not asked"',
        "",
      ].join("\n"),
    );
    expect(JSON.parse((await run(["status", "--json"])).stdout)).toMatchObject({
      state: "engaged",
      changed_by: "cli:github:octo",
      reason: "manifest drift on run 1",
    });
  });

  it("exits 3 on a second engage, naming the engagement", async () => {
    const { code, stderr } = await run(["engage", "--reason", "again"]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/engaged \(by cli:github:octo at \S+: manifest drift on run 1\)/);
  });

  it("refuses release with 78 when a required secret is missing, naming the check", async () => {
    const { code, stdout, stderr } = await run(["release"], { SUPABASE_URL: "http://127.0.0.1:9" });
    expect(code).toBe(78);
    expect(stdout).toMatch(
      /check=secrets status=fail detail="missing: SUPABASE_SERVICE_KEY \(needed by SUPABASE_URL\)"/,
    );
    // The Supabase test request cannot be made without the key either: it fails too, naming it.
    expect(stdout).toMatch(
      /check=supabase status=fail detail="SUPABASE_URL is set but SUPABASE_SERVICE_KEY is not"/,
    );
    expect(stdout).toMatch(/kill_switch=engaged release=refused failed=secrets,supabase\n$/);
    expect(stderr).toMatch(/release refused: secrets check failed \(.*\); supabase check failed \(/);
  });

  it("refuses release with 1 when only the manifest check fails", async () => {
    const good = await fs.readFile(manifest());
    await fs.writeFile(manifest(), '{"generated_at_utc": "x", "entries": [], "entries": []}');
    const { code, stdout } = await run(["release", "--json"]);
    await fs.writeFile(manifest(), good);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, state: "engaged", failed: ["manifest"] });
  });

  it("releases once every restart check passes, printing each", async () => {
    const { code, stdout } = await run(["release"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^ {2}check=secrets status=pass .*\n {2}check=manifest status=pass detail="1 entries valid"\n {2}check=supabase status=skipped .*\n {2}step=github-workflow-enable status=skipped detail="not configured"\nkill_switch=released by=cli:github:octo\n$/,
    );
    expect(JSON.parse((await run(["status", "--json"])).stdout)).toMatchObject({ state: "released" });
    expect((await run(["release"])).stderr).toMatch(/not engaged \(state: released\)/);
  });
});
